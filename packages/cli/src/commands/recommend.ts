import type {
  CapabilityFlag,
  CapabilityRequirements,
  Modality,
  ModelOption,
  ModelRecommendationRequest,
} from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { usageError } from "../exit-codes.js";
import { renderTable } from "../output/table.js";
import { addDimensionOptions, dimensionsFrom } from "../parse/dimensions.js";
import { addUsageOptions, usageFrom } from "../parse/usage.js";
import { parsePositive, splitList } from "../parse/values.js";

const FLAGS = new Set(["tools", "reasoning", "promptCaching", "batch", "webSearch", "structuredOutput"]);
const MODALITIES = new Set(["text", "image", "audio", "video", "pdf"]);

/** `--needs tools,reasoning,image,output:audio` → requirements (a modality alone is an input). */
export function parseNeeds(text: string): CapabilityRequirements {
  const flags: CapabilityFlag[] = [];
  const sides: Record<"input" | "output", Modality[]> = { input: [], output: [] };
  for (const item of splitList(text)) {
    const [side, m] = item.includes(":") ? item.split(":", 2) : ["input", item];
    const camel = item.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
    if (FLAGS.has(camel)) flags.push(camel as CapabilityFlag);
    else if ((side === "input" || side === "output") && m && MODALITIES.has(m))
      sides[side].push(m as Modality);
    else
      throw usageError(`--needs ${item}: use ${[...FLAGS, ...MODALITIES].join(", ")} or output:<modality>`);
  }
  const req: CapabilityRequirements = {};
  if (flags.length > 0) req.capabilities = flags;
  if (sides.input.length > 0) req.input = sides.input;
  if (sides.output.length > 0) req.output = sides.output;
  return req;
}

/** `budget recommend`: models that meet a task's needs, cheapest first, with the saving. */
export function registerRecommend(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("recommend")
    .description("which models meet this task's needs, ranked by what its usage would cost (with the saving)")
    .option("--model <model>", "the model used now: savings are computed against it")
    .option("--calls <n>", "how many such calls (default 1)", parsePositive)
    .option(
      "--needs <list>",
      "required: tools, reasoning, promptCaching, batch, webSearch, structuredOutput, image, pdf, audio, output:audio …",
    )
    .option("--min-context <tokens>", "the model must accept this many input-side tokens", parsePositive)
    .option("--min-output <tokens>", "the model must produce this many output tokens", parsePositive)
    .option("--only <providers>", "only models of these providers (comma-separated)")
    .option("--batch", "priced at the batch discount")
    .option("--limit <n>", "how many models to list (default 10)", parsePositive);
  addUsageOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  addDimensionOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend }) => {
      const { client } = await backend();
      const o = opts as Record<string, unknown>;
      const { provider, ...dims } = dimensionsFrom(o);
      const requires: CapabilityRequirements = opts.needs ? parseNeeds(opts.needs) : {};
      if (opts.minContext) requires.minContextTokens = opts.minContext;
      if (opts.minOutput) requires.minOutputTokens = opts.minOutput;
      const req: ModelRecommendationRequest = { usage: usageFrom(o) };
      if (opts.model) req.current = { model: opts.model, ...(provider ? { provider } : {}) };
      if (opts.calls) req.calls = opts.calls;
      if (Object.keys(requires).length > 0) req.requires = requires;
      if (opts.only) req.providers = splitList(opts.only);
      if (opts.batch) req.batch = true;
      if (opts.limit) req.limit = opts.limit;
      if (Object.keys(dims).length > 0) req.dimensions = dims;
      const r = await client.recommendModels(req);
      if (ui.json) return ui.printJson(r);
      const row = (m: ModelOption) => [
        `${m.provider}/${m.model}${m.current ? " (current)" : ""}`,
        m.costUsd,
        m.savingUsd ?? "-",
        m.savingPct === null ? "-" : `${m.savingPct}%`,
        m.budget === null ? "-" : m.budget.fits ? "yes" : `no (${m.budget.budgetId}/${m.budget.limitId})`,
        m.priceVersionId,
      ];
      const columns = [
        { header: "Model" },
        { header: "Cost USD", align: "right" as const },
        { header: "Saving USD", align: "right" as const },
        { header: "Saving", align: "right" as const },
        { header: "Fits budget" },
        { header: "Price version" },
      ];
      if (r.current)
        ui.line(`current: ${r.current.provider}/${r.current.model} costs ${r.current.costUsd} USD`);
      ui.line(renderTable(columns, r.ranked.map(row), ui.colors));
      const x = r.excluded;
      ui.line(
        ui.colors.dim(
          `${r.qualifying} qualifying; left out: ${x.missing} lacking a need, ${x.unknown} not stating one, ${x.unpriced} without a rate for this usage`,
        ),
      );
    }),
  );
}
