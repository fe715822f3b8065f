import { type BudgetEngine, createBudgetEngine, createMemoryStore, UNVERIFIED_TAG } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { beforeEach, describe, expect, it } from "vitest";
import { isBudgetExceededError } from "./budget-exceeded-error.js";
import { ESTIMATED_TAG, holdForCall } from "./call-hold.js";

const call = { provider: "test", model: "test-model", operation: "chat.completions" };
const estimate = { inputTokens: 100, outputTokens: 50 };

let engine: BudgetEngine;
beforeEach(async () => {
  engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), budgetCacheMs: 0 });
  await engine.upsertBudget({
    id: "team",
    limits: [{ id: "all", window: { type: "lifetime" }, tokens: 1000 }],
  });
});

const events = async () => (await engine.store.listEvents({})).events;
const team = async () => (await engine.status({ budgetId: "team" }))[0];

describe("holdForCall", () => {
  it("reserves the estimate, then commits the reported usage once", async () => {
    const hold = await holdForCall({ client: engine, dimensions: { component: "c1" } }, call, estimate);
    expect((await team())?.reserved.tokens).toBe(150);
    await hold.commit({ inputTokens: 80, outputTokens: 20 }, () => estimate);
    await hold.commit({ inputTokens: 1, outputTokens: 1 }, () => estimate);
    const [event, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(event?.usage).toMatchObject({ inputTokens: 80, outputTokens: 20 });
    expect(event?.dimensions).toMatchObject({ component: "c1", provider: "test", model: "test-model" });
    expect(hold.settled).toBe(true);
    expect(await team()).toMatchObject({ reserved: { tokens: 0 }, used: { tokens: 100 } });
  });

  it("commits the estimate, tagged and told, when the provider reported nothing", async () => {
    const told: unknown[] = [];
    const hold = await holdForCall({ client: engine, onEstimatedUsage: (u) => told.push(u) }, call, estimate);
    await hold.commit(null, () => ({ inputTokens: 100, outputTokens: 7 }));
    const [event] = await events();
    expect(event?.dimensions.tags).toEqual([ESTIMATED_TAG]);
    expect(event?.usage).toMatchObject({ inputTokens: 100, outputTokens: 7 });
    expect(told).toEqual([{ inputTokens: 100, outputTokens: 7 }]);
  });

  it("commits an unreadable usage as an unverified estimate, then reports the error", async () => {
    const errors: unknown[] = [];
    const hold = await holdForCall({ client: engine, onSettleError: (e) => errors.push(e) }, call, estimate);
    await hold.commitUnreadable(new Error("bad body"), () => estimate);
    expect((await events())[0]?.dimensions.tags).toEqual([ESTIMATED_TAG, UNVERIFIED_TAG]);
    expect(errors).toEqual([new Error("bad body")]);
  });

  it("releases the hold unused, and ignores a commit after it", async () => {
    const hold = await holdForCall({ client: engine }, call, estimate);
    await hold.release();
    await hold.commit({ inputTokens: 80, outputTokens: 20 }, () => estimate);
    expect(await events()).toEqual([]);
    expect(await team()).toMatchObject({ reserved: { tokens: 0 }, used: { tokens: 0 } });
  });

  it("throws BudgetExceededError on a denial, holding nothing", async () => {
    const err = await holdForCall({ client: engine }, call, { inputTokens: 900, outputTokens: 200 }).catch(
      (e: unknown) => e,
    );
    expect(isBudgetExceededError(err)).toBe(true);
    expect(err).toMatchObject({ budgetId: "team", limitId: "all" });
    expect((await team())?.reserved.tokens).toBe(0);
  });

  it("clamps the output to what fits with minOutputTokens", async () => {
    const hold = await holdForCall({ client: engine, minOutputTokens: 10 }, call, {
      inputTokens: 900,
      outputTokens: 200,
    });
    expect(hold.grantedOutputTokens).toBe(100);
  });
});
