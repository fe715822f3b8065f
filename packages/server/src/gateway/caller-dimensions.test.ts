import type { ApiKeyRecord } from "@budget/core";
import { describe, expect, it } from "vitest";
import { callerDimensions } from "./caller-dimensions.js";

const key = (over: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id: "key_1",
  name: "agents",
  role: "gateway",
  dimensions: { component: "research", tags: ["agents"] },
  hash: "h",
  prefix: "bgt_abcd",
  createdAt: 0,
  revokedAt: null,
  ...over,
});

describe("callerDimensions", () => {
  it("reuses a key's own dimensions across calls without headers, and still narrows with them", () => {
    const k = key();
    const plain = callerDimensions(k, new Headers());
    expect(plain).toEqual({ component: "research", tags: ["agents"], apiKey: "key_1" });
    expect(callerDimensions(k, new Headers())).toBe(plain);
    // Shared between calls: nobody may change it.
    expect(Object.isFrozen(plain) && Object.isFrozen(plain.tags)).toBe(true);
    const narrowed = callerDimensions(k, new Headers({ "x-budget-user": "ada", "x-budget-tags": "x" }));
    expect(narrowed).toEqual({ component: "research", tags: ["agents", "x"], apiKey: "key_1", user: "ada" });
    expect(callerDimensions(k, new Headers())).toEqual(plain);
  });

  it("checks a header against the key on every call, cached or not", () => {
    const k = key();
    callerDimensions(k, new Headers());
    expect(() => callerDimensions(k, new Headers({ "x-budget-component": "other" }))).toThrow(/narrow/);
  });

  it("a writer key restricted to components refuses calls naming none, every time", () => {
    const k = key({ role: "writer", components: ["a", "b"], dimensions: {} });
    expect(() => callerDimensions(k, new Headers())).toThrow();
    expect(() => callerDimensions(k, new Headers())).toThrow();
    expect(callerDimensions(k, new Headers({ "x-budget-component": "b" }))).toMatchObject({ component: "b" });
  });
});
