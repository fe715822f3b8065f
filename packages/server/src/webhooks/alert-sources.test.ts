import { type Alert, createMemoryStore } from "@budget/core";
import { describe, expect, it } from "vitest";
import { tapStoredAlerts } from "./alert-sources.js";

const alert = (id: string, dedupeKey: string): Alert => ({
  id,
  dedupeKey,
  type: "source_failure",
  severity: "warning",
  time: 1,
  message: "feed refused",
  data: {},
  acknowledgedAt: null,
});

describe("tapStoredAlerts", () => {
  it("reports only the alerts the store kept (deduplicated), and passes every other call through", async () => {
    const store = createMemoryStore();
    const seen: string[] = [];
    const tapped = tapStoredAlerts(store, (a) => seen.push(a.id));
    expect(await tapped.insertAlert(alert("a1", "k1"))).toBe(true);
    expect(await tapped.insertAlert(alert("a2", "k1"))).toBe(false);
    expect(await tapped.insertAlert(alert("a3", "k2"))).toBe(true);
    expect(seen).toEqual(["a1", "a3"]);
    expect((await tapped.listAlerts({})).alerts.map((a) => a.id).sort()).toEqual(["a1", "a3"]);
  });
});
