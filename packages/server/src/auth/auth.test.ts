import { createMemoryKeyStore } from "@budget/core";
import { describe, expect, it } from "vitest";
import { createAuth } from "./auth.js";

describe("createAuth", () => {
  it("trusts a looked-up key for 10 s: a revocation elsewhere takes effect by then, here at once", async () => {
    let t = 1_000;
    const keys = createMemoryKeyStore();
    const here = createAuth(keys, () => t);
    const elsewhere = createAuth(keys, () => t);
    const { key, record } = await here.createKey({ name: "ci", role: "writer" });
    expect(await here.authenticate(key)).toMatchObject({ id: record.id });
    expect(await elsewhere.authenticate(key)).toMatchObject({ id: record.id });

    await here.revokeKey(record.id);
    expect(await here.authenticate(key)).toBeNull();
    t += 9_999;
    expect(await elsewhere.authenticate(key)).toMatchObject({ id: record.id });
    t += 1;
    expect(await elsewhere.authenticate(key)).toBeNull();
  });

  it("refuses a missing or unknown secret", async () => {
    const auth = createAuth(createMemoryKeyStore());
    expect(await auth.authenticate(null)).toBeNull();
    expect(await auth.authenticate("bgt_unknown")).toBeNull();
  });
});
