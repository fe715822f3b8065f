import { setFlagsFromString } from "node:v8";
setFlagsFromString(process.env.FLAG);
await import("../dist/bundle/budget.js");
