import { CommanderError } from "./commander.js";
import { describeError, EXIT } from "./exit-codes.js";
import { formatJson } from "./output/json.js";
import { createProgram } from "./program.js";

/**
 * Runs `budget` with `argv` (as `process.argv`) and returns the exit code: 0 ok, 1 error,
 * 2 usage, 3 denied, 4 not found, 5 unreachable. Errors go to stderr, or to stdout as
 * `{"error": {...}}` with --json.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram({ oneShot: true });
  try {
    await program.parseAsync(argv as string[]);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (err) {
    // Commander already printed its message; help and --version end with 0.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const d = describeError(err);
    if (argv.includes("--json"))
      process.stdout.write(`${formatJson({ error: { code: d.code, message: d.message } })}\n`);
    else process.stderr.write(`budget: ${d.message}\n`);
    if (d.exitCode === EXIT.error && process.env.BUDGET_DEBUG)
      process.stderr.write(`${(err as Error).stack}\n`);
    return d.exitCode;
  }
}

// `budget prices list | head`: a reader that closed the pipe early is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
  throw err;
});

// Not a top-level await: the installed command loads this module with `require` (its bundle is
// CommonJS, see scripts/cli-bundle.mjs).
void main(process.argv).then((code) => {
  process.exitCode = code;
});
