import { createBudgetApi, type Query } from "@budget/client/api";
import type { BudgetInput } from "@budget/core";

export { type Query, withQuery } from "@budget/client/api";

const KEY_STORAGE = "budget.apiKey";

/** The API key kept in this browser (localStorage), or null. */
export function storedKey(): string | null {
  return localStorage.getItem(KEY_STORAGE);
}

/** Keeps (or, with null, forgets) the API key. */
export function storeKey(key: string | null): void {
  if (key === null) localStorage.removeItem(KEY_STORAGE);
  else localStorage.setItem(KEY_STORAGE, key);
}

/** The server that serves this page, with the stored key. */
export const server = createBudgetApi({ url: "", apiKey: storedKey });

/** Routes the server documents, from its OpenAPI document (some exist only with a price updater). */
async function routes(): Promise<Set<string>> {
  const doc = await server.system.openapi();
  const out = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths ?? {}))
    for (const m of Object.keys(methods)) out.add(`${m.toUpperCase()} ${path}`);
  return out;
}

/** Every call the dashboard makes. */
export const api = {
  routes,
  /** Checks a key before keeping it: any reader route answers 200 only to a valid key. */
  verifyKey: (key: string) => createBudgetApi({ url: "", apiKey: key }).budgets.list({ limit: 1 }),
  budget: server.budgets.get,
  /** Creates or replaces a budget definition (the overrides panel saves through it). */
  saveBudget: (budget: object) => server.budgets.create(budget as BudgetInput),
  status: server.status.limits,
  budgetStatuses: server.status.budgets,
  report: server.reports.get,
  usage: server.usage.list,
  runs: async (cursor?: string) => {
    const page = await server.runs.list({ limit: 50, cursor });
    return { items: page.runs, nextCursor: page.nextCursor };
  },
  run: server.runs.get,
  prices: () => server.prices.list({ limit: 1000 }),
  priceHistory: (model: string, provider: string) => server.prices.history({ model, provider }),
  pending: () => server.prices.pending(),
  decide: (id: string, verb: "approve" | "reject") => server.prices[verb](id),
  decideMany: (verb: "approve" | "reject", filter: Parameters<typeof server.prices.approveMany>[0]) =>
    server.prices[`${verb}Many`](filter),
  /** The newest 200 alerts (open ones only, or all), or those naming one budget. */
  alerts: (unacknowledged: boolean, budgetId?: string) =>
    server.alerts.list({ limit: 200, unacknowledged: String(unacknowledged), budgetId }),
  ack: server.alerts.ack,
  advice: (query: Query) => server.recommendations.get(query),
};
