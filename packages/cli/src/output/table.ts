import { requireCjs } from "../require-cjs.js";
import type { Colors } from "./ui.js";

/** A column: its header and whether numbers align right. */
export interface Column {
  header: string;
  align?: "left" | "right";
}

/**
 * Renders rows as a boxed table for people. Cells are already formatted (and maybe colored);
 * cli-table3 measures width without ANSI codes.
 */
export function renderTable(columns: Column[], rows: string[][], colors: Colors): string {
  const Table = requireCjs("cli-table3") as typeof import("cli-table3");
  const table = new Table({
    head: columns.map((c) => colors.bold(c.header)),
    colAligns: columns.map((c) => c.align ?? "left"),
    style: { head: [], border: [], compact: true },
  });
  for (const row of rows) table.push(row);
  return table.toString();
}
