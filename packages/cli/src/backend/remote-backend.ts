import { allItems, createBudgetApi, createBudgetClient, orNotFound, toArray } from "@budget/client";
import { usageEventFromWire } from "@budget/core";
import type { RepriceSummary } from "@budget/prices";
import type { AssistantAnswer } from "@budget/server";
import { usageError } from "../exit-codes.js";
import type { Backend, PriceUpdateOutcome } from "./backend.js";

/** Options of {@link openRemoteBackend}. */
export interface RemoteBackendOptions {
  url: string;
  apiKey?: string;
  /** For messages (default `Budget service <url>`, from `--url`). */
  description?: string;
  from?: string;
}

/** A 404 means "no such thing": false, like the local store answers. */
const done = (p: Promise<unknown>) =>
  orNotFound(
    p.then(() => true),
    false,
  );

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
  const api = createBudgetApi({ url: options.url, apiKey: options.apiKey });
  const { prices, keys, alerts } = api;
  return {
    mode: "remote",
    assistant: { ask: (question) => api.assistant.ask<AssistantAnswer>(question) },
    description: options.description ?? `Budget service ${options.url}`,
    from: options.from ?? "--url",
    client: createBudgetClient(api),
    async *events(query) {
      const q = { from: query.from, to: query.to, ...flatDimensions(query.dimensions) };
      for await (const e of allItems(api.usage.list, q)) yield usageEventFromWire(e);
    },
    maintenance: {
      reconcile: api.maintenance.reconcile,
      reprice: (input) => api.maintenance.reprice<RepriceSummary>(input),
    },
    alerts: {
      list: async (q) =>
        (await alerts.list({ unacknowledged: q.unacknowledgedOnly ? "true" : undefined, limit: q.limit }))
          .items,
      ack: (id) => done(alerts.ack(id)),
    },
    prices: {
      list: async (q) => {
        const items = await toArray(allItems(prices.list, { provider: q.provider }));
        return q.model ? items.filter((v) => v.model.includes(q.model ?? "")) : items;
      },
      show: (q) => orNotFound(prices.show(q), null),
      resolve: prices.resolve,
      history: async (q) => (await prices.history(q)).items,
      pending: async () => (await prices.pending()).items,
      approve: (id) => done(prices.approve(id)),
      reject: (id) => done(prices.reject(id)),
      decideMany: (decision, filter) =>
        prices[decision === "approved" ? "approveMany" : "rejectMany"](
          Object.keys(filter).length > 0 ? filter : { all: true },
        ),
      update: (o) => {
        if (o.sources?.length)
          throw usageError(
            "--source applies to a local database: a server updates from its configured sources",
          );
        return prices.update<PriceUpdateOutcome>({ dryRun: o.dryRun });
      },
    },
    keys: {
      async create(input) {
        const { key, ...info } = await keys.create(input);
        return { key: info, secret: key };
      },
      list: async () => toArray(allItems(keys.list)),
      revoke: (id) => done(keys.revoke(id)),
    },
    close: async () => {},
  };
}
