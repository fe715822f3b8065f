import type { Command } from "@commander-js/extra-typings";
import { addDimensionOptions } from "../parse/dimensions.js";
import { addUsageOptions } from "../parse/usage.js";
import { parseUsd } from "../parse/values.js";

/** Adds what check and record share: `--model`, the dimensions, the usage, `--cost-usd`, `--batch`. */
export function addCallOptions(cmd: Command<unknown[], Record<string, unknown>>): void {
  cmd.option("--model <model>", "the model called, e.g. gpt-4o (priced through the catalog)");
  addDimensionOptions(cmd);
  addUsageOptions(cmd);
  cmd.option("--cost-usd <usd>", "an explicit cost instead of the catalog price", parseUsd);
  cmd.option("--batch", "priced at the batch discount");
}
