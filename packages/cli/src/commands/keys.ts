import type { Command } from "@commander-js/extra-typings";
import { Option } from "../commander.js";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatLocalTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { collect } from "../parse/values.js";

/** `budget keys create|list|revoke`: API keys of the HTTP service (stored hashed). */
export function registerKeys(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const keys = program.command("keys").description("API keys of the HTTP service");
  keys
    .command("create")
    .description("create an API key; its secret is shown once")
    .requiredOption("--name <name>", "who or what uses the key")
    .addOption(
      new Option("--role <role>", "what it may do")
        .choices(["gateway", "reader", "writer", "admin"] as const)
        .default("writer" as const),
    )
    .option("--component <component>", "writer keys: may spend only for this component (repeatable)", collect)
    .option("--project <project>", "writer keys: may spend only for this project (repeatable)", collect)
    .option(
      "--dimension <name=value>",
      "a dimension every call with the key carries, e.g. component=planner, tags=a (repeatable)",
      collect,
    )
    .action((opts) =>
      runner.run(async ({ ui, backend }) => {
        const created = await (await backend()).keys.create({
          name: opts.name,
          role: opts.role,
          ...(opts.component ? { components: opts.component } : {}),
          ...(opts.project ? { projects: opts.project } : {}),
          ...(opts.dimension ? { dimensions: await keyDimensions(opts.dimension) } : {}),
        });
        if (ui.json) return ui.printJson({ ...created.key, key: created.secret });
        ui.line(`created ${created.key.id} (${created.key.role}) — the secret is shown only now:`);
        ui.line(ui.colors.bold(created.secret));
      }),
    );
  keys
    .command("list", { isDefault: true })
    .description("list API keys (never their secrets)")
    .action(() =>
      runner.run(async ({ ui, backend }) => {
        const list = await (await backend()).keys.list();
        if (ui.json) return ui.printJson(list);
        if (list.length === 0) return ui.line(ui.colors.dim("no API keys"));
        ui.line(
          renderTable(
            [
              { header: "Id" },
              { header: "Name" },
              { header: "Role" },
              { header: "Prefix" },
              { header: "Limited to" },
              { header: "Created" },
              { header: "Revoked" },
            ],
            list.map((k) => [
              k.id,
              k.name,
              k.role,
              typeof k.prefix === "string" ? `${k.prefix}…` : "",
              [
                ...((k.components as string[] | undefined) ?? []).map((c) => `component=${c}`),
                ...((k.projects as string[] | undefined) ?? []).map((p) => `project=${p}`),
              ].join(" "),
              k.createdAt ? formatLocalTime(k.createdAt) : "",
              k.revokedAt ? ui.colors.red(formatLocalTime(k.revokedAt)) : "",
            ]),
            ui.colors,
          ),
        );
      }),
    );
  keys
    .command("revoke")
    .description("revoke an API key (requests with it are refused from now on)")
    .argument("<key-id>", "the key id (key_…)")
    .action((id) =>
      runner.run(async ({ ui, backend }) => {
        if (!(await (await backend()).keys.revoke(id)))
          throw new CliError(`API key ${id} not found`, EXIT.notFound, "not_found");
        if (ui.json) return ui.printJson({ id, revoked: true });
        ui.line(`revoked ${id}`);
      }),
    );
}

/** `--dimension name=value` pairs as a key's dimensions; `tags` (repeatable, or comma-separated) is a list. */
async function keyDimensions(pairs: string[]): Promise<Record<string, string | string[]>> {
  const out: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new CliError(`--dimension ${pair}: expected name=value`, EXIT.usage, "invalid_input");
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (name === "tags")
      out.tags = [...((out.tags as string[] | undefined) ?? []), ...value.split(",").filter(Boolean)];
    else out[name] = value;
  }
  // Loaded here, not at start-up: the schema library is most of what `budget --help` would load.
  const { dimensionsSchema } = await import("@budget/core");
  const parsed = dimensionsSchema.omit({ provider: true, model: true }).safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `--dimension ${issue?.path.join(".")}: ${issue?.message}`,
      EXIT.usage,
      "invalid_input",
    );
  }
  return out;
}
