import { useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { PendingPriceChange } from "../../api/types.js";
import { Panel } from "../../components/ui.js";
import { formatTime } from "../../lib/format.js";
import { formatRate, RATE_COLUMNS } from "./rates.js";

/** Quarantined price changes, with approve/reject when the server runs a price updater. */
export function PendingChanges(props: {
  items: PendingPriceChange[];
  canDecide: boolean;
  onDecided: () => void;
}) {
  const [error, setError] = useState<string | null>(null);
  const decide = (id: string, verb: "approve" | "reject") =>
    api.decide(id, verb).then(
      () => {
        setError(null);
        props.onDecided();
      },
      (err: Error) => setError(err.message),
    );
  const bulk = (verb: "approve" | "reject", filter: Parameters<typeof api.decideMany>[1]) =>
    api.decideMany(verb, filter).then(
      () => {
        setError(null);
        props.onDecided();
      },
      (err: Error) => setError(err.message),
    );
  if (props.items.length === 0) return null;
  const sources = [
    ...new Set(props.items.map((p) => String(p.evidence.sourceId ?? p.proposed.source))),
  ].sort();
  return (
    <Panel title={`Pending approval (${props.items.length})`} class="pending">
      {error && <p class="state state-error">{error}</p>}
      {props.canDecide && (
        <p class="bulk" data-testid="pending-bulk">
          {[
            ...sources.map((s) => ({ label: `from ${s}`, filter: { sourceId: s } })),
            { label: "all", filter: { all: true as const } },
          ].map((g) => (
            <span key={g.label} class="nowrap">
              <button type="button" class="primary" onClick={() => bulk("approve", g.filter)}>
                Approve {g.label}
              </button>{" "}
              <button type="button" class="danger" onClick={() => bulk("reject", g.filter)}>
                Reject {g.label}
              </button>{" "}
            </span>
          ))}
        </p>
      )}
      <table class="grid" data-testid="pending">
        <thead>
          <tr>
            <th>Model</th>
            {RATE_COLUMNS.map((c) => (
              <th class="num" key={c.key}>
                {c.label}
              </th>
            ))}
            <th>Why held</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.items.map((p) => (
            <tr key={p.id}>
              <td>
                {p.provider} / {p.model}
                <div class="sub">{formatTime(p.createdAt)}</div>
              </td>
              {RATE_COLUMNS.map((c) => (
                <td class="num" key={c.key}>
                  {formatRate(p.proposed.tokenRates[c.key])}
                </td>
              ))}
              <td class="evidence">
                <code>{JSON.stringify(p.evidence)}</code>
              </td>
              <td class="nowrap">
                {props.canDecide ? (
                  <>
                    <button type="button" class="primary" onClick={() => decide(p.id, "approve")}>
                      Approve
                    </button>{" "}
                    <button type="button" class="danger" onClick={() => decide(p.id, "reject")}>
                      Reject
                    </button>
                  </>
                ) : (
                  <span class="muted">no updater running</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
