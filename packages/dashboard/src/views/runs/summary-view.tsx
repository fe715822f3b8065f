import { formatUsd } from "../../lib/format.js";

type Json = unknown;
const isRecord = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A scalar for a cell: money (a `…Usd` key) by the one money rule, numbers grouped, the rest as text. */
function cell(key: string, v: Json): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "string" && /usd$/i.test(key) && /^-?\d+(\.\d+)?$/.test(v)) return formatUsd(v);
  if (typeof v === "number") return v.toLocaleString("en-US");
  if (typeof v === "string" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** Rows of records as a table: one row per entry (its key or index first), a column per field. */
function RecordTable(props: { title: string; rows: [string, Record<string, Json>][] }) {
  const columns = [...new Set(props.rows.flatMap(([, r]) => Object.keys(r)))];
  return (
    <table class="grid" data-testid={`summary-${props.title}`}>
      <caption>{props.title}</caption>
      <thead>
        <tr>
          <th />
          {columns.map((c) => (
            <th key={c} class="num">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map(([k, r]) => (
          <tr key={k}>
            <th class="mono">{k}</th>
            {columns.map((c) => (
              <td key={c} class="num">
                {cell(c, r[c])}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The table form of a nested value, or null when it is not a list or map of records. */
function tableRows(v: Json): [string, Record<string, Json>][] | null {
  const entries: [string, Json][] = Array.isArray(v)
    ? v.map((x, i) => [String(i + 1), x])
    : isRecord(v)
      ? Object.entries(v)
      : [];
  if (entries.length === 0 || !entries.every(([, x]) => isRecord(x))) return null;
  return entries as [string, Record<string, Json>][];
}

/**
 * A run's summary (or config) for people: scalar fields as facts, maps and lists of records (per
 * worker, per task) as tables; anything else as compact JSON.
 */
export function SummaryView(props: { value: Record<string, Json>; testId: string }) {
  const entries = Object.entries(props.value);
  if (entries.length === 0) return <p class="state">Nothing recorded.</p>;
  const facts = entries.filter(([, v]) => !isRecord(v) && !Array.isArray(v));
  const nested = entries.filter(([, v]) => isRecord(v) || Array.isArray(v));
  return (
    <div class="summary" data-testid={props.testId}>
      {facts.length > 0 && (
        <dl class="facts">
          {facts.map(([k, v]) => [<dt key={`${k}-t`}>{k}</dt>, <dd key={`${k}-d`}>{cell(k, v)}</dd>])}
        </dl>
      )}
      {nested.map(([k, v]) => {
        const rows = tableRows(v);
        if (rows) return <RecordTable key={k} title={k} rows={rows} />;
        if (isRecord(v))
          return (
            <section key={k}>
              <h4>{k}</h4>
              <SummaryView value={v} testId={`${props.testId}-${k}`} />
            </section>
          );
        return (
          <dl key={k} class="facts">
            <dt>{k}</dt>
            <dd>{(v as Json[]).map((x) => cell(k, x)).join(", ") || "—"}</dd>
          </dl>
        );
      })}
    </div>
  );
}
