import type { Dimensions } from "@budget/core";
import { DIMENSIONS, type Dimension } from "@budget/core/basics";
import type { Command } from "@commander-js/extra-typings";
import { usageError } from "../exit-codes.js";
import { collect } from "./values.js";

/** The flag of each dimension: `taskType` → `--task-type`; `apiKey` → `--key-dim` (`--api-key` authenticates). */
export function dimensionFlag(d: Dimension): string {
  if (d === "apiKey") return "key-dim";
  return d.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function optionKey(d: Dimension): string {
  return d === "apiKey" ? "keyDim" : d;
}

/** Adds `--component`, `--model`, … `--tag` (repeatable) to a command. */
export function addDimensionOptions<C extends Command<unknown[], Record<string, unknown>>>(cmd: C): C {
  for (const d of DIMENSIONS) {
    if (d === "model") continue; // commands declare --model themselves (often required)
    cmd.option(`--${dimensionFlag(d)} <value>`, `usage dimension ${d}`);
  }
  cmd.option("--tag <tag>", "tag (repeatable)", collect);
  return cmd;
}

/** Reads the dimension flags back into {@link Dimensions}. */
export function dimensionsFrom(opts: Record<string, unknown>): Dimensions {
  const out: Dimensions = {};
  for (const d of DIMENSIONS) {
    const v = opts[optionKey(d)];
    if (typeof v === "string") {
      if (v.length === 0) throw usageError(`--${dimensionFlag(d)} must not be empty`);
      out[d] = v;
    }
  }
  const tags = opts.tag;
  if (Array.isArray(tags) && tags.length > 0) out.tags = tags.map(String);
  return out;
}
