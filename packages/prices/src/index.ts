export * from "./sources/bundled.js";
export * from "./sources/bundled-convert.js";
export * from "./sources/bundled-providers.js";
