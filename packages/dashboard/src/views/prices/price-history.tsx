import { api } from "../../api/api.js";
import { Badge, Panel, Status } from "../../components/ui.js";
import { formatTime } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { formatRate, RATE_COLUMNS } from "./rates.js";

/** Every version of one model's price, newest first. */
export function PriceHistory(props: { provider: string; model: string; onClose: () => void }) {
  const live = useLive();
  const history = useAsync(
    () => api.priceHistory(props.model, props.provider),
    [props.model, props.provider, live.prices],
  );
  const versions = [...(history.data?.items ?? [])].reverse();
  return (
    <Panel
      title={`${props.provider} / ${props.model}`}
      actions={
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      }
      class="history"
    >
      <Status error={history.error} loading={!history.data} />
      {versions.length > 0 && (
        <table class="grid" data-testid="price-history">
          <thead>
            <tr>
              <th>Effective</th>
              {RATE_COLUMNS.map((c) => (
                <th class="num" key={c.key}>
                  {c.label}
                </th>
              ))}
              <th>Source</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td class="nowrap">
                  {v.effectiveFrom > 0 ? formatTime(v.effectiveFrom) : "always"} →{" "}
                  {v.effectiveTo === null ? <Badge tone="ok">in force</Badge> : formatTime(v.effectiveTo)}
                  <div class="sub mono">{v.id}</div>
                </td>
                {RATE_COLUMNS.map((c) => (
                  <td class="num" key={c.key}>
                    {formatRate(v.tokenRates[c.key])}
                  </td>
                ))}
                <td>{v.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
