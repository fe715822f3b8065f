import { existsSync } from "node:fs";
import { type RunningServer, serverConfigSchema, startServer } from "@budget/server";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  ensureDashboardBuilt,
  screenshotPath,
} from "../../testing/built-dashboard.js";

const ADMIN_KEY = "bgt_dashboard_advice_admin_key_01";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === "true")
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install chromium)`);

describe.skipIf(!hasChromium)("dashboard Advice view in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  const api = (path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    await ensureDashboardBuilt();
    const config = serverConfigSchema.parse({
      server: { port: 0 },
      database: { file: ":memory:" },
      auth: { adminKey: ADMIN_KEY },
      logging: { level: "silent" },
    });
    server = await startServer({ config });
    // Priced by the bundled catalog: a planner on gpt-4o, a little on gpt-4o-mini.
    for (let i = 0; i < 3; i++) {
      const res = await api("/v1/usage", {
        dimensions: { component: "planner", taskType: "plan", provider: "openai", model: "gpt-4o" },
        usage: { inputTokens: 20000, outputTokens: 2000 },
      });
      expect(res.status).toBe(201);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows the spend, the material groups and each item with the figures the API gives", async () => {
    const advice = await (await api("/v1/recommendations")).json();
    const item = advice.items.find((i: { kind: string }) => i.kind === "cheaper_model");
    expect(item, JSON.stringify(advice.items.map((i: { kind: string }) => i.kind))).toBeDefined();
    for (const width of [1400, 420]) {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      await page.goto(server.url);
      await page.fill("input[name=apiKey]", ADMIN_KEY);
      await page.click("button[type=submit]");
      await page.click("nav >> text=Advice");
      const card = page.locator('.advice-item[data-kind="cheaper_model"]');
      await card.first().waitFor();
      const saving = await card.first().locator("[data-saving]").first().getAttribute("data-saving");
      expect(saving).toBe(item.alternatives[0].savingUsd);
      expect(await page.locator('[data-testid="material"] tbody tr').count()).toBe(advice.material.length);
      expect(await card.first().textContent()).toContain(
        "budget report --group-by component,taskType,provider,model",
      );
      await page.screenshot({ path: screenshotPath(`advice-${width}`), fullPage: true });
      await page.close();
    }
  });
});
