import { useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Budget } from "../../api/types.js";
import { Panel } from "../../components/ui.js";
import {
  eachDimensions,
  type Override,
  type OverrideAmounts,
  withOverride,
  withoutOverride,
} from "./overrides.js";

const describeAmounts = (a: OverrideAmounts) =>
  [
    a.cost !== undefined ? `$${a.cost}` : null,
    a.tokens !== undefined ? `${a.tokens} tokens` : null,
    a.requests !== undefined ? `${a.requests} requests` : null,
    a.concurrency !== undefined ? `${a.concurrency} in flight` : null,
  ]
    .filter(Boolean)
    .join(", ");

/** The amounts typed in the form: empty fields are left out; numbers as given (the API validates). */
function amountsOf(form: { cost: string; tokens: string }): OverrideAmounts {
  const a: OverrideAmounts = {};
  if (form.cost.trim() !== "") a.cost = form.cost.trim();
  if (form.tokens.trim() !== "") a.tokens = Number(form.tokens);
  return a;
}

/**
 * Per-partition exceptions of an `each` budget: the list, with removal, and a form that sets one
 * partition's cost or tokens for one limit. Saved with the budget; the API names a bad field.
 */
export function OverridesPanel(props: { budget: Budget; onSaved: () => void }) {
  const b = props.budget;
  const dims = eachDimensions(b);
  const [values, setValues] = useState<Record<string, string>>({});
  const [limitId, setLimitId] = useState(b.limits[0]?.id ?? "");
  const [form, setForm] = useState({ cost: "", tokens: "" });
  const [error, setError] = useState<string | null>(null);
  if (dims.length === 0) return null;
  const save = async (body: object) => {
    setError(null);
    try {
      await api.saveBudget(body);
      props.onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const match = Object.fromEntries(dims.map((d) => [d, values[d] ?? ""])) as Override["match"];
  return (
    <Panel title="Overrides">
      <table class="grid" data-testid="budget-overrides">
        <tbody>
          {(b.overrides ?? []).map((o) => (
            <tr key={JSON.stringify(o.match)}>
              <td class="mono">
                {Object.entries(o.match)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(", ")}
              </td>
              <td>
                {Object.entries(o.limits)
                  .map(([id, a]) => `${id}: ${describeAmounts(a)}`)
                  .join("; ")}
              </td>
              <td>
                <button type="button" onClick={() => save(withoutOverride(b, o.match))}>
                  remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        class="override-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(withOverride(b, match, limitId, amountsOf(form)));
        }}
      >
        {dims.map((d) => (
          <input
            key={d}
            aria-label={d}
            placeholder={d}
            value={values[d] ?? ""}
            onInput={(e) => setValues({ ...values, [d]: (e.target as HTMLInputElement).value })}
          />
        ))}
        <select
          aria-label="limit"
          value={limitId}
          onChange={(e) => setLimitId((e.target as HTMLSelectElement).value)}
        >
          {b.limits.map((l) => (
            <option key={l.id} value={l.id}>
              {l.id}
            </option>
          ))}
        </select>
        <input
          aria-label="cost USD"
          placeholder="cost USD (0 blocks)"
          value={form.cost}
          onInput={(e) => setForm({ ...form, cost: (e.target as HTMLInputElement).value })}
        />
        <input
          aria-label="tokens"
          placeholder="tokens"
          value={form.tokens}
          onInput={(e) => setForm({ ...form, tokens: (e.target as HTMLInputElement).value })}
        />
        <button type="submit">set override</button>
      </form>
      {error && <p class="error">{error}</p>}
    </Panel>
  );
}
