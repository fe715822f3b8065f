/** The usage dimensions a scope can select on, in a fixed order. */
export const DIMENSIONS = [
  "component",
  "provider",
  "model",
  "tier",
  "project",
  "user",
  "apiKey",
  "run",
  "worker",
  "task",
  "taskType",
] as const;

export type Dimension = (typeof DIMENSIONS)[number];
