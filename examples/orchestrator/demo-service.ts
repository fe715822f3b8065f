import { createBudgetClient } from "@budget/client";
import type { BudgetClient } from "@budget/core";
import { createAuth, type RunningServer, startServer } from "@budget/server";
import { loadSettings, serviceUrlOf } from "@budget/server/config";

type Env = Record<string, string | undefined>;

/** The service the demo fills: one already running (attached) or its own. */
export interface DemoService {
  client: BudgetClient;
  url: string;
  /** True when the demo attached to a service that was already running. */
  attached: boolean;
  /** The sentence the demo prints about it. */
  said: string;
  /** An admin key for the person to look around with (own service, first start), else null. */
  adminKey: string | null;
  /** Stops the demo's own service (no-op when attached). */
  close(): Promise<void>;
  /** The demo's own service, when it started one. */
  server: RunningServer | null;
}

type Probe = "budget" | "other" | "none";

/** Whether a Budget service answers at `url` (`/healthz` says `{"status":"ok"}`). */
export async function probeService(url: string, timeoutMs = 1500): Promise<Probe> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => null)) as { status?: unknown } | null;
    return res.ok && body?.status === "ok" ? "budget" : "other";
  } catch {
    return "none";
  }
}

/**
 * Finds the demo's service with the settings every Budget process reads: the configured URL
 * (`BUDGET_URL`, else the server's `BUDGET_HOST`/`BUDGET_PORT`/config file address). A Budget
 * service answering there with a key (`BUDGET_API_KEY` or `BUDGET_ADMIN_KEY`) is attached to;
 * otherwise the demo starts its own on a free port — on the configured store when one was named
 * and nothing runs, else in memory — and `said` tells which, and why.
 */
export async function connectDemoService(env: Env = process.env): Promise<DemoService> {
  const settings = loadSettings({}, env);
  const url = serviceUrlOf(settings.config, env);
  const probe = await probeService(url);
  const apiKey = env.BUDGET_API_KEY || env.BUDGET_ADMIN_KEY || undefined;
  if (probe === "budget" && apiKey) {
    return {
      client: createBudgetClient({ url, apiKey }),
      url,
      attached: true,
      said: `Attached to the Budget service already running at ${url}.`,
      adminKey: null,
      close: async () => {},
      server: null,
    };
  }
  if (env.BUDGET_URL && probe === "none")
    throw new Error(
      `BUDGET_URL=${env.BUDGET_URL}: no Budget service answers there (start one, or unset BUDGET_URL)`,
    );
  const why =
    probe === "budget"
      ? `a Budget service runs at ${url}, but no BUDGET_API_KEY is set to fill it`
      : probe === "other"
        ? `${url} answers, but not as a Budget service`
        : `nothing answers at ${url}`;
  // The configured store only when the user named one and no service holds it; else a scratch one.
  const ownStore =
    probe === "none" && settings.storeFrom !== "default"
      ? {}
      : { BUDGET_DB: ":memory:", BUDGET_DATABASE_URL: undefined };
  const own = loadSettings({ port: 0 }, { BUDGET_LOG_LEVEL: "warn", ...env, ...ownStore });
  const server = await startServer({ config: own.config });
  try {
    const key = server.adminKey ?? (await writerKey(server));
    return {
      client: createBudgetClient({ url: server.url, apiKey: key }),
      url: server.url,
      attached: false,
      said: `Started its own Budget service at ${server.url} (${server.storeDescription}): ${why}.`,
      adminKey: server.adminKey,
      close: () => server.close(),
      server,
    };
  } catch (err) {
    await server.close();
    throw err;
  }
}

/** A writer key for the orchestrator on a store that already has its admin key. */
async function writerKey(server: RunningServer): Promise<string> {
  const auth = createAuth(server.store);
  const { key } = await auth.createKey({
    name: `demo-${Date.now().toString(36)}`,
    role: "writer",
    components: ["orchestrator"],
  });
  return key;
}
