import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, startGatewayHarness } from "../testing/gateway-harness.js";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "m", window: { type: "month" }, tokens: 10_000_000 }] }],
  });
});
afterAll(() => h.close());

const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const RAW = ["{", "nul", "null", "[]", '"s"', "123", deep(5000), '{"model":1e999}', "\u0000"];
const BAD: unknown[] = [
  -1,
  1.5,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  1e308,
  "x".repeat(100_000),
  {},
  [],
  null,
  true,
];

/** Valid-looking bodies of each gateway endpoint, to break one field at a time. */
const VALID: Record<string, Record<string, unknown>> = {
  "chat/completions": { model: "test-model", messages: [{ role: "user", content: "hi" }], max_tokens: 10 },
  responses: { model: "test-model", input: "hi", max_output_tokens: 10 },
  embeddings: { model: "test-model", input: "hi" },
  messages: { model: "test-model", max_tokens: 10, messages: [{ role: "user", content: "hi" }] },
  "messages/count_tokens": { model: "test-model", messages: [{ role: "user", content: "hi" }] },
};

describe("HTTP fuzz over the gateway's documented routes", () => {
  it("never answers 5xx to malformed requests (the upstream is healthy), and a rejected one records nothing", async () => {
    const doc = (await (await fetch(`${h.url}/v1/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith("/gateway/"));
    expect(paths.length).toBeGreaterThanOrEqual(5);
    const failures: string[] = [];
    let sent = 0;
    for (const path of paths) {
      const endpoint = path.split("/v1/")[1] ?? "";
      const upstream = ["messages", "messages/count_tokens"].includes(endpoint) ? "anthropic" : "openai";
      const url = `${h.url}${path.replace("{upstream}", upstream)}`;
      const valid = VALID[endpoint] ?? { model: "test-model" };
      const bodies: { body: string; type?: string }[] = RAW.map((body) => ({ body }));
      for (const [field] of Object.entries(valid))
        for (const v of BAD) bodies.push({ body: JSON.stringify({ ...valid, [field]: v }) });
      bodies.push({ body: JSON.stringify(valid), type: "text/plain" });
      bodies.push({ body: `{"pad":"${"x".repeat(1_100_000)}"}` });
      for (const b of bodies) {
        sent += 1;
        const before = (await h.ledger()).length;
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${h.gatewayKey}`, "content-type": b.type ?? "application/json" },
          body: b.body,
          signal: AbortSignal.timeout(5_000),
        }).catch((err: unknown) => err as Error);
        if (res instanceof Error) {
          failures.push(`no answer (${res.name}) ${path} ${b.body.slice(0, 100)}`);
          continue;
        }
        await res.arrayBuffer();
        const what = `${res.status} ${path} ${b.body.slice(0, 100)}`;
        if (res.status >= 500) failures.push(what);
        if (res.status >= 400 && (await h.ledger()).length !== before) failures.push(`recorded on ${what}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(150);
  }, 120_000);
});
