import { useCallback, useEffect, useState } from "preact/hooks";
import { api, storedKey, storeKey } from "./api/api.js";
import { connectEvents, type LiveState } from "./api/events.js";
import { Link } from "./components/ui.js";
import { ALERTS_CHANGED, LiveContext, type LiveTopics, NO_EVENTS, topicsOf } from "./lib/live.js";
import { usePath } from "./lib/router.js";
import { useAsync } from "./lib/use-async.js";
import { Advice } from "./views/advice/advice.js";
import { Alerts } from "./views/alerts/alerts.js";
import { Breakdown } from "./views/breakdown/breakdown.js";
import { BudgetDetail } from "./views/budget/budget-detail.js";
import { Login } from "./views/login/login.js";
import { NotFound } from "./views/not-found/not-found.js";
import { Overview } from "./views/overview/overview.js";
import { Prices } from "./views/prices/prices.js";
import { RunDetail } from "./views/runs/run-detail.js";
import { Runs } from "./views/runs/runs.js";
import { UsageExplorer } from "./views/usage/usage.js";

const NAV = [
  { path: "/", label: "Budgets" },
  { path: "/breakdown", label: "Breakdown" },
  { path: "/runs", label: "Runs" },
  { path: "/usage", label: "Usage" },
  { path: "/prices", label: "Prices" },
  { path: "/alerts", label: "Alerts" },
  { path: "/advice", label: "Advice" },
];

/** Live updates: one SSE connection; each event bumps the topics it touches (batched per 250 ms). */
function useLiveEvents(key: string, onUnauthorized: () => void): [LiveTopics, LiveState] {
  const [topics, setTopics] = useState<LiveTopics>(NO_EVENTS);
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    let pending = new Set<keyof LiveTopics>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      const moved = pending;
      pending = new Set();
      timer = null;
      setTopics((t) => {
        const next = { ...t };
        for (const topic of moved) next[topic] += 1;
        return next;
      });
    };
    return connectEvents({
      key,
      onEvent: (type) => {
        for (const topic of topicsOf(type)) pending.add(topic);
        if (pending.size > 0 && timer === null) timer = setTimeout(flush, 250);
      },
      onState: (s) => {
        setState(s);
        if (s === "unauthorized") onUnauthorized();
      },
    });
  }, [key, onUnauthorized]);
  return [topics, state];
}

/** A counter bumped when a view changes alerts itself (an acknowledgement), so the badge reloads. */
function useLocalAlertChanges(): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    const bump = () => setN((x) => x + 1);
    addEventListener(ALERTS_CHANGED, bump);
    return () => removeEventListener(ALERTS_CHANGED, bump);
  }, []);
  return n;
}

/** The page for a path. */
function Page(props: { path: string }) {
  const run = /^\/runs\/(.+)$/.exec(props.path);
  if (run?.[1]) return <RunDetail id={decodeURIComponent(run[1])} />;
  const budget = /^\/budgets\/(.+)$/.exec(props.path);
  if (budget?.[1]) return <BudgetDetail id={decodeURIComponent(budget[1])} />;
  switch (props.path) {
    case "/breakdown":
      return <Breakdown />;
    case "/runs":
      return <Runs />;
    case "/usage":
      return <UsageExplorer />;
    case "/prices":
      return <Prices />;
    case "/alerts":
      return <Alerts />;
    case "/advice":
      return <Advice />;
    case "/":
    case "/index.html":
      return <Overview />;
    default:
      return <NotFound path={props.path} />;
  }
}

/** The signed-in dashboard: header, navigation, live state and the current view. */
function Shell(props: { apiKey: string; onLogout: (notice?: string) => void }) {
  const path = usePath();
  const { onLogout } = props;
  const rejected = useCallback(() => onLogout("The key was rejected; sign in again."), [onLogout]);
  const [live, state] = useLiveEvents(props.apiKey, rejected);
  const localAlerts = useLocalAlertChanges();
  const open = useAsync(() => api.alerts(true), [live.alerts, localAlerts]);
  const openCount = open.data?.items.length ?? 0;
  const section = NAV.find((n) => n.path !== "/" && path.startsWith(n.path))?.path ?? "/";
  return (
    <LiveContext.Provider value={live}>
      <header class="top">
        <div class="brand">
          <span class="logo" /> Budget
        </div>
        <nav>
          {NAV.map((n) => (
            <Link key={n.path} href={n.path} class={n.path === section ? "active" : ""}>
              {n.label}
              {n.path === "/alerts" && openCount > 0 && (
                <span class="count" data-testid="open-alerts">
                  {openCount}
                </span>
              )}
            </Link>
          ))}
        </nav>
        <div class="top-right">
          <span
            class={`live live-${state}`}
            data-testid="live-state"
            title="Live updates over server-sent events"
          >
            {state === "live" ? "Live" : state === "connecting" ? "Connecting…" : "Offline"}
          </span>
          <button type="button" class="link" onClick={() => props.onLogout()}>
            Sign out
          </button>
        </div>
      </header>
      <main>
        <Page path={path} />
      </main>
    </LiveContext.Provider>
  );
}

/** The dashboard: a login screen until a key is kept, then the views. */
export function App() {
  const [key, setKey] = useState<string | null>(storedKey());
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [logout] = useState(() => (reason?: string) => {
    storeKey(null);
    setNotice(typeof reason === "string" ? reason : undefined);
    setKey(null);
  });
  if (!key) return <Login onLogin={setKey} notice={notice} />;
  return <Shell apiKey={key} onLogout={logout} />;
}
