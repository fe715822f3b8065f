import { loadBundledPrices } from "./src/sources/bundled.js";
const { versions } = loadBundledPrices();
console.log(versions.length);
for (const v of versions.filter(v => v.provider === "deepseek" && v.schedule)) console.log(JSON.stringify(v));
