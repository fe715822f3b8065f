import { type BudgetClient, normalizeOpenAiUsage } from "@budget/core";
import {
  BudgetExceededError,
  createTokenBudgetManager,
  type RunConfigInput,
  type WorkerGuard,
} from "@budget/integrations/orchestrator";
import { countTokens } from "gpt-tokenizer";
import type OpenAI from "openai";

/** One model call of a task. */
export interface TaskStep {
  prompt: string;
  maxTokens: number;
  /** Streams the answer (usage from the last chunk, `include_usage`). */
  stream?: boolean;
}

/** A task of the example: the orchestrator's estimate and priority, and the calls it makes. */
export interface ExampleTask {
  id: string;
  estimatedTokens: number;
  priority: number;
  steps: TaskStep[];
}

/** Everything one orchestration run needs. */
export interface OrchestrationInput {
  client: BudgetClient;
  openai: OpenAI;
  runId: string;
  name: string;
  config: RunConfigInput;
  workers: string[];
  tasks: ExampleTask[];
  model: string;
  provider: string;
  log: (line: string) => void;
}

/** Prompt tokens plus the output cap: what a call may use at most (4 tokens of framing per message). */
function estimateOf(messages: { role: string; content: string }[], maxTokens: number) {
  const input = messages.reduce((n, m) => n + 4 + countTokens(m.content), 3);
  return { inputTokens: input, outputTokens: maxTokens };
}

/** Runs one step through the real `openai` client, returning the reply and its normalized usage. */
async function callModel(openai: OpenAI, model: string, step: TaskStep) {
  const messages = [
    { role: "system" as const, content: "You are a worker of a batch orchestrator. Be brief." },
    { role: "user" as const, content: step.prompt },
  ];
  const estimate = estimateOf(messages, step.maxTokens);
  const run = async () => {
    if (!step.stream) {
      const c = await openai.chat.completions.create({ model, messages, max_tokens: step.maxTokens });
      return { value: c.choices[0]?.message.content ?? "", usage: normalizeOpenAiUsage(c).usage };
    }
    const stream = await openai.chat.completions.create({
      model,
      messages,
      max_tokens: step.maxTokens,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    let text = "";
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    return { value: text, usage: normalizeOpenAiUsage(chunks).usage };
  };
  return { estimate, run };
}

/** A guard's halt, read afresh (a call may have set it since the last check). */
const haltOf = (guard: WorkerGuard) => guard.halted;

/** Runs a task's steps under the worker's guard; returns tokens used, or the error that stopped it. */
async function runTask(input: OrchestrationInput, guard: WorkerGuard, task: ExampleTask) {
  let tokens = 0;
  for (const step of task.steps) {
    const { estimate, run } = await callModel(input.openai, input.model, step);
    try {
      const r = await guard.call(task.id, { model: input.model, estimate }, run);
      tokens += r.tokens;
    } catch (err) {
      if (err instanceof BudgetExceededError) return { tokens, error: err };
      throw err;
    }
  }
  return { tokens, error: null };
}

/**
 * A small multi-worker orchestrator: plans which tasks fit the budget, then lets workers take
 * their tasks in turn (sequential awaits, so the output is deterministic), printing a progress
 * update with the budget after each task. A worker halts when its or the run's limit denies a
 * call; a halted run limit stops the whole run.
 */
export async function runOrchestration(input: OrchestrationInput) {
  const { log } = input;
  const manager = createTokenBudgetManager({
    client: input.client,
    runId: input.runId,
    config: input.config,
    provider: input.provider,
    onWarning: (w) => log(`  warning (${w.workerId}/${w.taskId}): ${w.message}`),
  });
  await manager.startRun(input.name);
  const plan = await manager.planAssignment(input.tasks, input.workers);
  log(`plan: ${plan.assignments.length} of ${input.tasks.length} tasks assigned`);
  for (const a of plan.assignments) {
    log(
      `  ${a.task.id} (priority ${a.task.priority}, ~${a.task.estimatedTokens} tokens) -> ${a.workerId}${a.overBudget ? " [over budget]" : ""}`,
    );
  }
  for (const s of plan.skipped) log(`  skipped ${s.task.id}: ${s.reason}`);

  const queues = new Map(input.workers.map((w) => [w, plan.assignments.filter((a) => a.workerId === w)]));
  const guards = new Map(input.workers.map((w) => [w, manager.createWorkerGuard(w)]));
  const total = plan.assignments.length;
  const done = new Set<string>();
  let runHalt: string | null = null;
  for (let round = 0; !runHalt && [...queues.values()].some((q) => q.length > round); round++) {
    for (const workerId of input.workers) {
      const guard = guards.get(workerId)!;
      const next = queues.get(workerId)?.[round];
      if (!next || guard.halted || runHalt) continue;
      const { tokens, error } = await runTask(input, guard, next.task);
      if (error) {
        log(
          `${workerId} ${next.task.id}: denied after ${tokens} tokens by ${error.budgetId} (${error.partition || "whole run"})`,
        );
        const halt = haltOf(guard);
        if (halt) log(halt.reason);
        if (error.budgetId === manager.budgetIds.run) runHalt = `run budget exhausted: ${error.message}`;
        continue;
      }
      done.add(next.task.id);
      const p = await manager.progress(done.size, total);
      const b = p.budget;
      log(`${workerId} ${next.task.id}: done, ${tokens} tokens`);
      log(
        `  progress ${p.completed}/${p.total}: used ${b.usedTokens} tokens ($${b.costUsd}), remaining ${b.remainingTokens ?? "unlimited"}, ${b.percentUsed}% used, projected ${b.projectedTotalTokens} tokens${b.projectedOverLimit ? " (over the limit)" : ""}`,
      );
    }
  }
  const halts = [...guards.values()].flatMap((g) => (g.halted ? [g.halted.reason] : []));
  const status = done.size === total ? "completed" : "halted";
  const haltReason = runHalt ?? (halts.length > 0 ? halts.join("; ") : undefined);
  const run = await manager.finishRun({ status, ...(haltReason !== undefined ? { haltReason } : {}) });
  const unfinished = plan.assignments.filter((a) => !done.has(a.task.id)).map((a) => a.task.id);
  log(
    `run ${run.id} ${run.status}: ${done.size} of ${total} tasks done${unfinished.length ? `; not done: ${unfinished.join(", ")}` : ""}`,
  );
  return { run, usage: await manager.getUsageReport() };
}
