import type { FieldChange } from "@budget/prices";
import type { PriceUpdateOutcome } from "../backend/backend.js";
import { renderTable } from "../output/table.js";
import type { Ui } from "../output/ui.js";
import { rateText } from "./price-view.js";

/** Prints an update report: per source, then each applied or held change, then totals. */
export function printUpdate(ui: Ui, r: PriceUpdateOutcome, dryRun: boolean): void {
  const verb = dryRun ? "would apply" : "applied";
  for (const s of r.sources ?? [])
    ui.line(
      `  source ${s.id}: ${s.ok ? ui.colors.green("ok") : ui.colors.red(`refused (${s.reason ?? "error"}): ${s.error ?? ""}`)}, ${s.quotes} quotes`,
    );
  const changes = [
    ...(r.applied ?? []).map((a) => [
      verb,
      a.provider,
      a.model,
      a.changes.map((c) => `${c.field} ${c.from ?? "-"} → ${c.to ?? "-"}`).join("; "),
    ]),
    ...(r.quarantined ?? []).map((q) => [
      ui.colors.yellow(`pending ${q.pendingId}`),
      q.provider,
      q.model,
      q.reason,
    ]),
  ];
  if (changes.length > 0)
    ui.line(
      renderTable(
        [{ header: "Action" }, { header: "Provider" }, { header: "Model" }, { header: "Change" }],
        changes,
        ui.colors,
      ),
    );
  ui.line(
    `${(r.applied ?? []).length} ${verb}, ${(r.quarantined ?? []).length} held for approval, ${r.unchanged ?? 0} unchanged, ${(r.rejected ?? []).length} sources refused`,
  );
}

/** One source compared with the versions in force (a local `prices diff`). */
export interface SourceDiff {
  id: string;
  ok: boolean;
  quotes: number;
  error?: string;
  added: string[];
  changed: FieldChange[];
}

/** Prints a local `prices diff`: per source, its new models and changed fields. */
export function printDiff(ui: Ui, diffs: SourceDiff[], all: boolean): void {
  for (const d of diffs) {
    if (!d.ok) {
      ui.line(`source ${d.id}: ${ui.colors.red(`failed: ${d.error ?? ""}`)}`);
      continue;
    }
    ui.line(
      `source ${d.id}: ${d.quotes} quotes, ${d.added.length} new models, ${d.changed.length} changed fields`,
    );
    const shown = all ? d.changed : d.changed.slice(0, 50);
    if (shown.length > 0)
      ui.line(
        renderTable(
          [
            { header: "Provider" },
            { header: "Model" },
            { header: "Field" },
            { header: "From" },
            { header: "To" },
            { header: "Change", align: "right" },
          ],
          shown.map((c) => [
            c.provider,
            c.model,
            c.field,
            rateText(c.from ?? undefined),
            rateText(c.to ?? undefined),
            c.changePct === null ? "" : `${c.changePct > 0 ? "+" : ""}${c.changePct.toFixed(1)}%`,
          ]),
          ui.colors,
        ),
      );
    if (shown.length < d.changed.length)
      ui.line(ui.colors.dim(`… ${d.changed.length - shown.length} more (--all)`));
  }
}
