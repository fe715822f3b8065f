import { createBudgetClient, createHttp } from "@budget/client";
import {
  type Alert,
  type Budget,
  type BudgetStatus,
  isBudgetError,
  type LimitStatusWire,
  limitStatusFromWire,
  type PendingPriceChange,
  type PriceVersion,
  type ReconcileWire,
  type Resolution,
  type UsageEventWire,
  usageEventFromWire,
} from "@budget/core";
import type { RepriceSummary } from "@budget/prices";
import type { AssistantAnswer } from "@budget/server";
import { usageError } from "../exit-codes.js";
import type { ApiKeyInfo, Backend, PriceUpdateOutcome } from "./backend.js";

/** Options of {@link openRemoteBackend}. */
export interface RemoteBackendOptions {
  url: string;
  apiKey?: string;
  /** For messages (default `Budget service <url>`, from `--url`). */
  description?: string;
  from?: string;
}

type Page<T> = { items: T[]; nextCursor?: string | null };
const seg = encodeURIComponent;

/** A 404 means "no such thing": null or false, like the local store answers. */
async function orMissing<T, F>(p: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await p;
  } catch (err) {
    if (isBudgetError(err, "not_found")) return fallback;
    throw err;
  }
}

function flatDimensions(d: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d ?? {})) {
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join(",");
  }
  return out;
}

/** The HTTP API of a Budget server (`/v1/...`), behind the same {@link Backend} as a local file. */
export async function openRemoteBackend(options: RemoteBackendOptions): Promise<Backend> {
  const connection = { url: options.url, ...(options.apiKey ? { apiKey: options.apiKey } : {}) };
  const client = createBudgetClient(connection);
  const http = createHttp(connection);
  return {
    mode: "remote",
    assistant: {
      ask: (question) => http<AssistantAnswer>("POST", "/v1/assistant", { body: { question } }),
    },
    description: options.description ?? `Budget service ${options.url}`,
    from: options.from ?? "--url",
    client,
    async *events(query) {
      let cursor: string | undefined;
      do {
        const q = {
          from: query.from,
          to: query.to,
          limit: 1000,
          cursor,
          ...flatDimensions(query.dimensions),
        };
        const page = await http<Page<UsageEventWire>>("GET", "/v1/usage", { query: q });
        yield* page.items.map(usageEventFromWire);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    async *budgetPages(pageSize) {
      type Item = Omit<BudgetStatus, "limits"> & { budget: Budget; limits: LimitStatusWire[] };
      for (let offset = 0; ; offset += pageSize) {
        const page = await http<{ items: Item[]; total: number }>("GET", "/v1/status/budgets", {
          query: { order: "id", offset, limit: pageSize },
        });
        yield page.items.map((b) => ({ ...b, limits: b.limits.map(limitStatusFromWire) }));
        if (page.items.length === 0 || offset + page.items.length >= page.total) return;
      }
    },
    maintenance: {
      reconcile: (repair) => http<ReconcileWire>("POST", "/v1/reconcile", { body: { repair } }),
      reprice: (input) => http<RepriceSummary>("POST", "/v1/prices/reprice", { body: input }),
    },
    alerts: {
      list: async (q) => {
        const query = { unacknowledged: q.unacknowledgedOnly ? "true" : undefined, limit: q.limit };
        return (await http<Page<Alert>>("GET", "/v1/alerts", { query })).items;
      },
      ack: (id) =>
        orMissing(
          http("POST", `/v1/alerts/${seg(id)}/ack`).then(() => true),
          false,
        ),
    },
    prices: {
      list: async (q) => {
        const items: PriceVersion[] = [];
        let cursor: string | undefined;
        do {
          const query = { provider: q.provider, limit: 1000, cursor };
          const page = await http<Page<PriceVersion>>("GET", "/v1/prices", { query });
          items.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return q.model ? items.filter((v) => v.model.includes(q.model ?? "")) : items;
      },
      show: (q) => orMissing(http<PriceVersion>("GET", "/v1/prices/show", { query: q }), null),
      resolve: (q) => http<Resolution>("GET", "/v1/prices/resolve", { query: q }),
      history: async (q) => (await http<Page<PriceVersion>>("GET", "/v1/prices/history", { query: q })).items,
      pending: async () => (await http<Page<PendingPriceChange>>("GET", "/v1/prices/pending")).items,
      approve: (id) =>
        orMissing(
          http("POST", `/v1/prices/pending/${seg(id)}/approve`).then(() => true),
          false,
        ),
      reject: (id) =>
        orMissing(
          http("POST", `/v1/prices/pending/${seg(id)}/reject`).then(() => true),
          false,
        ),
      decideMany: (decision, filter) =>
        http<{ ids: string[]; skipped: string[] }>(
          "POST",
          `/v1/prices/pending/${decision === "approved" ? "approve" : "reject"}`,
          { body: Object.keys(filter).length > 0 ? filter : { all: true } },
        ),
      update: (o) => {
        if (o.sources?.length)
          throw usageError(
            "--source applies to a local database: a server updates from its configured sources",
          );
        return http<PriceUpdateOutcome>("POST", "/v1/prices/update", { body: { dryRun: o.dryRun } });
      },
    },
    keys: {
      async create(input) {
        const { key, ...info } = await http<ApiKeyInfo & { key: string }>("POST", "/v1/keys", {
          body: input,
        });
        return { key: info, secret: key };
      },
      list: async () => (await http<Page<ApiKeyInfo>>("GET", "/v1/keys", { query: { limit: 1000 } })).items,
      revoke: (id) =>
        orMissing(
          http("DELETE", `/v1/keys/${seg(id)}`).then(() => true),
          false,
        ),
    },
    close: async () => {},
  };
}
