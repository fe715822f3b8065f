import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANTHROPIC_UPSTREAM_KEY,
  type GatewayHarness,
  OPENAI_UPSTREAM_KEY,
  startGatewayHarness,
} from "../testing/gateway-harness.js";

const run = promisify(execFile);
let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
  });
});
afterAll(() => h.close());

const body = JSON.stringify({ model: "test-model", messages: [{ role: "user", content: "Say ok." }] });

describe("gateway: plain curl", () => {
  it("a chat completion, then a stream (-N), with the x-budget headers", async () => {
    const url = `${h.url}/gateway/openai/v1/chat/completions`;
    const auth = `authorization: Bearer ${h.gatewayKey}`;
    const plain = await run("curl", [
      "-sS",
      "-i",
      url,
      "-H",
      auth,
      "-H",
      "content-type: application/json",
      "-d",
      body,
    ]);
    expect(plain.stdout).toMatch(/^HTTP\/1.1 200/);
    expect(plain.stdout).toMatch(/x-budget-remaining-tokens: \d+/i);
    expect(plain.stdout).toContain('"content":"ok ok ok ok ok "');
    const streamBody = JSON.stringify({ ...JSON.parse(body), stream: true });
    const streamed = await run("curl", [
      "-sS",
      "-N",
      url,
      "-H",
      auth,
      "-H",
      "content-type: application/json",
      "-d",
      streamBody,
    ]);
    const events = streamed.stdout.split("\n\n").filter(Boolean);
    expect(events.at(-1)).toBe("data: [DONE]");
    expect(streamed.stdout).not.toContain('"usage"');
    for (const out of [plain.stdout, streamed.stdout]) {
      expect(out).not.toContain(OPENAI_UPSTREAM_KEY);
    }
    await expect.poll(async () => (await h.ledger()).length).toBe(2);
  });
});

// A Python standard-library client: urllib only, as a script with no dependencies would call it.
const PYTHON = `
import json, os, sys, urllib.request, urllib.error
base, key = sys.argv[1], sys.argv[2]
def post(path, body, stream=False):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
        headers={"x-api-key": key, "anthropic-version": "2023-06-01", "content-type": "application/json"})
    try:
        with urllib.request.urlopen(req) as res:
            if not stream:
                return res.status, json.loads(res.read()), res.headers
            events = [line[6:] for line in res.read().decode().splitlines() if line.startswith("data: ")]
            return res.status, [json.loads(e) for e in events], res.headers
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read()), err.headers
msg = {"model": "test-model", "max_tokens": 64, "messages": [{"role": "user", "content": "Say ok."}]}
plain = post("/gateway/anthropic/v1/messages", msg)
streamed = post("/gateway/anthropic/v1/messages", dict(msg, stream=True), stream=True)
denied = post("/gateway/anthropic/v1/messages", dict(msg, max_tokens=5000000))
print(json.dumps({
  "plain": [plain[0], plain[1]["content"][0]["text"], plain[2].get("x-budget-remaining-tokens")],
  "streamed": [streamed[0], "".join(e["delta"].get("text", "") for e in streamed[1] if e["type"] == "content_block_delta")],
  "denied": [denied[0], denied[1]["error"]["type"], denied[1]["error"]["budget"]["id"], denied[2].get("Retry-After"), denied[2].get("RateLimit-Policy")],
}))
`;

describe("gateway: a Python standard-library client", () => {
  it("urllib: a message, a streamed message, and a denial it can read", async () => {
    const before = (await h.ledger()).length;
    const { stdout } = await run("python3", ["-c", PYTHON, h.url, h.gatewayKey]);
    expect(stdout).not.toContain(ANTHROPIC_UPSTREAM_KEY);
    const out = JSON.parse(stdout) as Record<string, unknown[]>;
    expect(out.plain?.slice(0, 2)).toEqual([200, "ok ok ok ok ok "]);
    expect(Number(out.plain?.[2])).toBeGreaterThan(0);
    expect(out.streamed).toEqual([200, "ok ok ok ok ok "]);
    expect(out.denied?.slice(0, 3)).toEqual([429, "budget_exceeded", "team"]);
    // 5,000,000 output tokens never fit the limit: no Retry-After, but the limit is named.
    expect(out.denied?.[3]).toBeNull();
    expect(String(out.denied?.[4])).toMatch(/^"team\//);
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 2);
  });
});
