import type * as Commander from "@commander-js/extra-typings";
import { requireCjs } from "./require-cjs.js";

/**
 * commander's classes (typed by @commander-js/extra-typings), loaded with Node's `require`: every
 * command needs them, and under tsx `import` of this CommonJS package costs ~3x as much (see
 * {@link requireCjs}). Types still come from `import type … from "@commander-js/extra-typings"`.
 */
export const { Command, CommanderError, InvalidArgumentError, Option } = requireCjs(
  "@commander-js/extra-typings",
) as typeof Commander;
