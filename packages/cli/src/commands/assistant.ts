import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";

/** `budget assistant "…"`: ask the optional assistant about spend (it must be enabled). */
export function registerAssistant(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("assistant")
    .description("ask the assistant about spend (off by default: assistant.enabled in the config)")
    .argument("<question...>", "the question")
    .action((words) =>
      runner.run(async ({ ui, backend }) => {
        const answer = await (await backend()).assistant.ask(words.join(" "));
        if (ui.json) return ui.printJson(answer);
        if (answer.status === "denied")
          throw new CliError(
            `the assistant's budget is spent: ${answer.denial?.message ?? ""}`,
            EXIT.denied,
            "denied",
          );
        if (answer.status === "failed")
          throw new CliError(`the assistant failed: ${answer.message ?? ""}`, EXIT.error, "failed");
        ui.line(answer.answer ?? "");
        for (const c of answer.citations)
          ui.line(ui.colors.dim(`  used ${c.tool} ${JSON.stringify(c.arguments)}`));
      }),
    );
}
