import type { Command } from "@commander-js/extra-typings";
import type { Backend } from "./backend/backend.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import { createUi, type Ui } from "./output/ui.js";

/** The global flags every command understands. */
export interface GlobalOptions {
  db?: string;
  url?: string;
  apiKey?: string;
  config?: string;
  json?: boolean;
  verbose?: boolean;
  color: boolean;
}

/** What a command action receives: the output, and the backend opened on first use. */
export interface CommandContext {
  readonly ui: Ui;
  readonly globals: GlobalOptions;
  backend(): Promise<Backend>;
  now(): number;
}

/** Runs command actions: opens the backend lazily, always closes it, sets the exit code. */
export interface CliRunner {
  /** The action returns an {@link ExitCode}, or anything else for 0. */
  run(action: (ctx: CommandContext) => Promise<unknown>): Promise<void>;
}

/** Options of {@link createRunner}. */
export interface RunnerOptions {
  /**
   * One command, then the process exits: before the backend (and with it the zod schemas of
   * core and of the settings) loads, zod is set `jitless`. Compiling a schema's checks to
   * JavaScript pays off over many parses (the server); a command parses each schema about once,
   * and compiling was ~15 ms of a local `budget status`. `serve` opens no backend here, so the
   * server it starts compiles as usual.
   */
  oneShot?: boolean;
}

/** Before the backend loads in a one-shot process: zod without compiled schemas. */
async function zodForOneCommand(): Promise<void> {
  const { z } = await import("zod");
  z.config({ jitless: true });
}

/** Creates the runner of a program whose root declares the {@link GlobalOptions}. */
export function createRunner(
  program: Command<[], Record<string, unknown>>,
  options: RunnerOptions = {},
): CliRunner {
  return {
    async run(action) {
      const globals = program.opts() as unknown as GlobalOptions;
      const ui = createUi({ json: globals.json === true, color: globals.color !== false });
      let opened: Promise<Backend> | undefined;
      const ctx: CommandContext = {
        ui,
        globals,
        backend: () => {
          // Loaded on first use: `--help` and usage errors never load a backend.
          opened ??= (options.oneShot ? zodForOneCommand() : Promise.resolve())
            .then(() => import("./backend/open-backend.js"))
            .then(({ openBackend }) => openBackend(globals))
            .then((b) => {
              // On stderr, so stdout stays clean data (--json included).
              if (globals.verbose) ui.note(`using ${b.description} (from ${b.from})`);
              return b;
            });
          return opened;
        },
        now: () => Date.now(),
      };
      try {
        const code = await action(ctx);
        process.exitCode = typeof code === "number" ? code : EXIT.ok;
      } finally {
        if (opened) await (await opened.catch(() => null))?.close();
      }
    },
  };
}
