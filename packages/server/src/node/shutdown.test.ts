import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const ADMIN = "bgt_test_admin_key_for_shutdown_0123456789";

function start(db: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["--conditions=@budget/source", "--import", "tsx", MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      BUDGET_PORT: "0",
      BUDGET_DB: db,
      BUDGET_ADMIN_KEY: ADMIN,
      BUDGET_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1], output: () => out });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}

const headers = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };

describe("graceful shutdown", () => {
  it("keeps every acknowledged commit across SIGTERM under load, exactly once", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "budget-shutdown-")), "budget.db");
    const first = await start(db);
    const acked = new Set<string>();
    let stop = false;
    const worker = async (w: number) => {
      while (!stop) {
        try {
          const r = await fetch(`${first.url}/v1/reservations`, {
            method: "POST",
            headers,
            body: JSON.stringify({
              dimensions: { model: "gpt-4o", worker: `w${w}` },
              estimate: { inputTokens: 100 },
            }),
          });
          if (!r.ok) continue;
          const { reservationId } = (await r.json()) as { reservationId: string };
          const c = await fetch(`${first.url}/v1/reservations/${reservationId}/commit`, {
            method: "POST",
            headers,
            body: JSON.stringify({ usage: { inputTokens: 90, outputTokens: 10 } }),
          });
          if (c.ok) acked.add(`commit:${reservationId}`);
        } catch {
          return; // the server stopped accepting
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // SIGTERM mid-load: once commits are flowing (a loaded machine may need a while to get there).
    for (let waited = 0; acked.size < 20 && waited < 20_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    const exited = new Promise<number | null>((r) => first.child.once("exit", (code) => r(code)));
    first.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    stop = true;
    await Promise.all(workers);
    expect(acked.size).toBeGreaterThanOrEqual(20);
    expect(first.output()).not.toContain(ADMIN);

    const second = await start(db);
    try {
      const seen = new Map<string, number>();
      let cursor: string | null = null;
      do {
        const page = (await (
          await fetch(`${second.url}/v1/usage?limit=1000${cursor ? `&cursor=${cursor}` : ""}`, { headers })
        ).json()) as { items: { idempotencyKey: string }[]; nextCursor: string | null };
        for (const e of page.items) seen.set(e.idempotencyKey, (seen.get(e.idempotencyKey) ?? 0) + 1);
        cursor = page.nextCursor;
      } while (cursor);
      for (const key of acked) expect([key, seen.get(key)]).toEqual([key, 1]);
    } finally {
      second.child.kill("SIGTERM");
    }
  }, 60_000);
});
