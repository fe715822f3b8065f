import { useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Alert } from "../../api/types.js";
import { Badge, Panel, Status } from "../../components/ui.js";
import { formatRelative, formatTime } from "../../lib/format.js";
import { announceAlertsChanged, useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";

const SEVERITY_TONE = { info: "info", warning: "warn", critical: "over" } as const;

/** Threshold crossings, denials and price alerts, newest first; acknowledge one at a time. */
export function Alerts() {
  const live = useLive();
  const [openOnly, setOpenOnly] = useState(true);
  const [error, setError] = useState<string | null>(null);
  // Acknowledgements sent: their buttons stay disabled until the reloaded list drops the row, so a
  // second click sends no second request (which the server would refuse as already acknowledged).
  const [sent, setSent] = useState<ReadonlySet<string>>(new Set());
  const alerts = useAsync(() => api.alerts(openOnly), [openOnly, live.alerts]);
  const items = alerts.data?.items ?? [];
  const ack = (a: Alert) => {
    if (sent.has(a.id)) return;
    setSent((s) => new Set(s).add(a.id));
    api.ack(a.id).then(
      () => {
        setError(null);
        alerts.reload();
        announceAlertsChanged();
      },
      (err: Error) => {
        setError(err.message);
        setSent((s) => new Set([...s].filter((id) => id !== a.id)));
        // Refused (e.g. acknowledged elsewhere meanwhile): the list shows its real state.
        alerts.reload();
      },
    );
  };
  return (
    <div class="view">
      <Panel
        title="Alerts"
        actions={
          <div class="segmented">
            <button type="button" class={openOnly ? "active" : ""} onClick={() => setOpenOnly(true)}>
              Open
            </button>
            <button type="button" class={openOnly ? "" : "active"} onClick={() => setOpenOnly(false)}>
              All
            </button>
          </div>
        }
      >
        {error && <p class="state state-error">{error}</p>}
        <Status error={alerts.error} loading={!alerts.data} empty={alerts.data && items.length === 0}>
          {openOnly ? "No open alerts." : "No alerts yet."}
        </Status>
        {items.length > 0 && (
          <table class="grid" data-testid="alerts">
            <thead>
              <tr>
                <th>When</th>
                <th>Severity</th>
                <th>Type</th>
                <th>Message</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id} data-alert-id={a.id} class={a.acknowledgedAt === null ? "" : "acked"}>
                  <td class="nowrap" title={formatTime(a.time)}>
                    {formatRelative(a.time)}
                  </td>
                  <td>
                    <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
                  </td>
                  <td>{a.type.replace("_", " ")}</td>
                  <td>{a.message}</td>
                  <td class="nowrap">
                    {a.acknowledgedAt === null ? (
                      <button type="button" disabled={sent.has(a.id)} onClick={() => ack(a)}>
                        {sent.has(a.id) ? "Acknowledging…" : "Acknowledge"}
                      </button>
                    ) : (
                      <span class="muted">acknowledged {formatRelative(a.acknowledgedAt)}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
