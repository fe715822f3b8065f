import { isBudgetError } from "@budget/core/basics";
import { useState } from "preact/hooks";
import { api, storeKey } from "../../api/api.js";

/** Asks for an API key, checks it against the server, and keeps it in this browser. */
export function Login(props: { onLogin: (key: string) => void; notice?: string | undefined }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string | null>(props.notice ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.verifyKey(key.trim());
      storeKey(key.trim());
      props.onLogin(key.trim());
    } catch (err) {
      setError(isBudgetError(err, "unauthorized") ? "That key is not valid." : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="login">
      <form class="login-card" onSubmit={submit}>
        <h1>
          <span class="logo" /> Budget
        </h1>
        <p class="muted">Token and dollar budgets for LLM usage. Sign in with an API key (any role).</p>
        <label>
          API key
          <input
            name="apiKey"
            type="password"
            autocomplete="current-password"
            placeholder="bgt_…"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            required
          />
        </label>
        {error && <p class="state state-error">{error}</p>}
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          {busy ? "Checking…" : "Sign in"}
        </button>
        <p class="muted small">
          The key is kept in this browser only. <code>budget serve</code> prints the admin key on first start;
          create read-only keys with <code>budget keys create --role reader</code>.
        </p>
      </form>
    </div>
  );
}
