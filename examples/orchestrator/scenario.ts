import type { RunConfigInput } from "@budget/integrations/orchestrator";
import type { ExampleTask } from "./orchestrator.js";

/** The workers of both runs. */
export const WORKERS = ["w1", "w2", "w3"];

/**
 * The batch: estimates are the orchestrator's guesses (some too low, as in life); `[[tokens=N]]`
 * tells the mock server how long to answer.
 */
export const TASKS: ExampleTask[] = [
  {
    id: "summarize-logs",
    estimatedTokens: 120,
    priority: 3,
    steps: [
      { prompt: "Summarize yesterday's error logs. [[tokens=40]]", maxTokens: 80 },
      { prompt: "List the three most frequent errors. [[tokens=60]]", maxTokens: 80, stream: true },
    ],
  },
  {
    id: "triage-issues",
    estimatedTokens: 100,
    priority: 2,
    steps: [{ prompt: "Triage the open issues by severity. [[tokens=90]]", maxTokens: 120 }],
  },
  {
    id: "draft-release-notes",
    estimatedTokens: 150,
    priority: 2,
    steps: [
      {
        prompt: "Draft release notes from the merged pull requests. [[tokens=120]]",
        maxTokens: 150,
        stream: true,
      },
      { prompt: "Shorten the draft to five bullet points. [[tokens=50]]", maxTokens: 80 },
    ],
  },
  {
    id: "translate-docs",
    estimatedTokens: 900,
    priority: 1,
    steps: [{ prompt: "Translate the user guide to French. [[tokens=600]]", maxTokens: 700 }],
  },
  {
    id: "review-diff",
    estimatedTokens: 120,
    priority: 1,
    steps: [{ prompt: "Review the diff of the billing module. [[tokens=110]]", maxTokens: 150 }],
  },
  {
    id: "answer-tickets",
    estimatedTokens: 100,
    priority: 0,
    steps: [
      { prompt: "Answer the two oldest support tickets. [[tokens=70]]", maxTokens: 100 },
      { prompt: "Check the answers for tone. [[tokens=30]]", maxTokens: 60, stream: true },
    ],
  },
  {
    id: "tag-feedback",
    estimatedTokens: 80,
    priority: 0,
    steps: [{ prompt: "Tag the week's user feedback by theme. [[tokens=80]]", maxTokens: 100 }],
  },
];

/** Strict: the run is capped at 800 tokens, so it halts before the batch is done. */
export const STRICT_CONFIG: RunConfigInput = {
  maxTokensPerTask: 500,
  maxTokensPerWorker: 450,
  totalBudgetLimit: { tokens: 800, costUsd: "0.01" },
  budgetWarningThreshold: 0.8,
  budgetEnforcementMode: "strict",
};

/** Soft: the same batch against tighter limits that only warn, so it completes. */
export const SOFT_CONFIG: RunConfigInput = {
  maxTokensPerTask: 400,
  maxTokensPerWorker: 600,
  totalBudgetLimit: { tokens: 1500 },
  budgetWarningThreshold: 0.8,
  budgetEnforcementMode: "soft",
};
