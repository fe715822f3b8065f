import { requireCjs } from "../require-cjs.js";

/** cli-progress, loaded when a bar is shown. */
function loadCliProgress(): typeof import("cli-progress") {
  return requireCjs("cli-progress") as typeof import("cli-progress");
}

/** A progress display; a no-op when stderr is not a terminal. */
export interface Progress {
  increment(by?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr (so stdout stays clean data) when stderr is a terminal and the total
 * is known; otherwise nothing.
 */
export function createProgress(options: { label: string; total: number; enabled: boolean }): Progress {
  if (!options.enabled || options.total <= 0) return { increment() {}, stop() {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${options.label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 200,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.total, 0);
  return {
    increment: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}

/** A progress bar whose phase and total change as work goes (e.g. fetch → validate → apply). */
export function createPhasedProgress(enabled: boolean): {
  update(p: { phase: string; done: number; total: number }): void;
  stop(): void;
} {
  if (!enabled) return { update() {}, stop() {} };
  const cliProgress = loadCliProgress();
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{phase} [{bar}] {value}/{total}",
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(p.total, p.done, { phase: p.phase.padEnd(8) });
        started = true;
        return;
      }
      bar.setTotal(p.total);
      bar.update(p.done, { phase: p.phase.padEnd(8) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
