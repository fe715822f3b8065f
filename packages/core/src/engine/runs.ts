import { z } from "zod";
import { BudgetError } from "../errors/budget-error.js";
import { validate } from "../errors/validate.js";
import type { Clock } from "../ports/clock.js";
import type { IdSource } from "../ports/ids.js";
import type { RunRecord, RunStarter, Store } from "../ports/store.js";

/** Zod schema of the input of `startRun`. */
export const startRunInputSchema = z
  .object({
    /** Run ids end up in budget ids (`run:<id>:worker`), so they share the budget id alphabet. */
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, "must be 1-100 letters, digits, '.', '_', ':' or '-'")
      .optional(),
    name: z.string().min(1).max(200),
    config: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** Zod schema of the input of `finishRun`. */
export const finishRunInputSchema = z
  .object({
    status: z.enum(["completed", "halted", "failed"]),
    summary: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

/** Zod schema of a runs page query. */
export const listRunsQuerySchema = z
  .object({
    limit: z.number().int().min(1).max(1000).optional(),
    cursor: z.string().min(1).max(256).optional(),
  })
  .strict();

export type StartRunInput = z.input<typeof startRunInputSchema>;
export type FinishRunInput = z.input<typeof finishRunInputSchema>;
export type ListRunsQuery = z.input<typeof listRunsQuerySchema>;

/** One page of runs, newest first. */
export interface RunsPage {
  runs: RunRecord[];
  nextCursor: string | null;
}

/** The run operations of the engine, over the store's run records. */
export function createRunOperations(store: Store, clock: Clock, ids: IdSource) {
  return {
    /**
     * Starts a run; starting a run that is still `running` returns it (an orchestrator resuming).
     * `startedBy` records the key that started it (the HTTP API gives it).
     */
    async startRun(input: StartRunInput, options: { startedBy?: RunStarter } = {}): Promise<RunRecord> {
      const parsed = validate(startRunInputSchema, input, "run");
      if (parsed.id !== undefined) {
        const existing = await store.getRun(parsed.id);
        if (existing?.status === "running") return existing;
        if (existing) {
          throw new BudgetError("conflict", `run ${parsed.id} already ended (${existing.status})`, {
            runId: parsed.id,
          });
        }
      }
      const run: RunRecord = {
        id: parsed.id ?? ids.next("run"),
        name: parsed.name,
        status: "running",
        startedAt: clock.now(),
        endedAt: null,
        config: parsed.config,
        summary: {},
        ...(options.startedBy ? { startedBy: options.startedBy } : {}),
      };
      await store.putRun(run);
      return run;
    },
    /** Ends a running run with its final status and summary. */
    async finishRun(id: string, input: FinishRunInput): Promise<RunRecord> {
      const parsed = validate(finishRunInputSchema, input, "run");
      const existing = await store.getRun(id);
      if (!existing) throw new BudgetError("not_found", `run ${id} not found`, { runId: id });
      if (existing.status !== "running") {
        throw new BudgetError("conflict", `run ${id} already ended (${existing.status})`, { runId: id });
      }
      const run: RunRecord = { ...existing, ...parsed, endedAt: clock.now() };
      await store.putRun(run);
      return run;
    },
    getRun: (id: string): Promise<RunRecord | null> => store.getRun(id),
    async listRuns(query: ListRunsQuery = {}): Promise<RunsPage> {
      const parsed = validate(listRunsQuerySchema, query, "runs");
      return store.listRuns({
        ...(parsed.limit !== undefined ? { limit: parsed.limit } : {}),
        ...(parsed.cursor !== undefined ? { cursor: parsed.cursor } : {}),
      });
    },
  };
}
