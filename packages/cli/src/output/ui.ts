import pc from "picocolors";
import { formatJson } from "./json.js";

/** The color functions the CLI uses (all identity when color is off). */
export type Colors = ReturnType<typeof pc.createColors>;

/** Where a command writes: people get text and tables, scripts get JSON. */
export interface Ui {
  /** `--json` was given: print one JSON document to stdout, nothing else there. */
  readonly json: boolean;
  readonly colors: Colors;
  /** stdin and stderr are terminals (prompts, progress bars). */
  readonly interactive: boolean;
  readonly stderrIsTTY: boolean;
  /** Writes a line to stdout. */
  line(text?: string): void;
  /** Writes a line to stderr (notes, warnings: never mixed into stdout data). */
  note(text: string): void;
  /** Writes `value` as JSON to stdout (money as USD decimal strings). */
  printJson(value: unknown): void;
}

/** Options of {@link createUi}. */
export interface UiOptions {
  json: boolean;
  /** `--no-color`; NO_COLOR, FORCE_COLOR and a non-TTY stdout are honored as well. */
  color: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Whether to color stdout: off for NO_COLOR, `--no-color`, JSON or a pipe; FORCE_COLOR wins over a pipe. */
export function colorEnabled(options: UiOptions): boolean {
  const env = options.env ?? process.env;
  if (!options.color || options.json) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return process.stdout.isTTY === true && env.TERM !== "dumb";
}

/** Creates the {@link Ui} over the process streams. */
export function createUi(options: UiOptions): Ui {
  return {
    json: options.json,
    colors: pc.createColors(colorEnabled(options)),
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    line: (text = "") => {
      process.stdout.write(`${text}\n`);
    },
    note: (text) => {
      process.stderr.write(`${text}\n`);
    },
    printJson: (value) => {
      process.stdout.write(`${formatJson(value)}\n`);
    },
  };
}
