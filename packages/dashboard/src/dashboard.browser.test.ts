import { existsSync } from "node:fs";
import { createBudgetClient } from "@budget/client";
import { seedWorkerBudgets } from "@budget/core/testing";
import { type RunningServer, serverConfigSchema, startServer } from "@budget/server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExample } from "../../../examples/orchestrator/run.js";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  ensureDashboardBuilt,
  screenshotPath as shot,
} from "./testing/built-dashboard.js";

/**
 * The built dashboard in Debian's Chromium against the real server: sign in, budgets overview,
 * live usage over SSE, acknowledging an alert. Never downloads a browser.
 */
const ADMIN_KEY = "bgt_dashboard_test_admin_key_0001";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === "true")
  throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (apt-get install chromium)`);
if (!hasChromium)
  console.warn(`dashboard browser test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)("dashboard in a real browser", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
  };
  const record = (component: string, inputTokens: number, outputTokens: number, costUsd: string) =>
    post("/v1/usage", {
      dimensions: { component, provider: "openai", model: "gpt-4o-mini", run: "nightly-1", worker: "w1" },
      usage: { inputTokens, outputTokens },
      costUsd,
    });

  /** Shows the signed-in app at `path` (the key kept as the login screen keeps it), live over SSE. */
  const openApp = async (p: Page, path = "/", base = server.url) => {
    if (!p.url().startsWith(base)) await p.goto(base);
    await p.evaluate((key) => localStorage.setItem("budget.apiKey", key), ADMIN_KEY);
    if (new URL(p.url()).pathname !== path || (await p.getByTestId("live-state").count()) === 0)
      await p.goto(`${base}${path}`);
    await p.getByTestId("live-state").getByText("Live").waitFor();
  };

  beforeAll(async () => {
    await ensureDashboardBuilt();
    const config = serverConfigSchema.parse({
      server: { port: 0 },
      database: { file: ":memory:" },
      auth: { adminKey: ADMIN_KEY },
      logging: { level: "silent" },
      budgets: [
        {
          id: "team",
          name: "Team monthly",
          limits: [
            { id: "monthly", window: { type: "month" }, cost: "10", tokens: 1_000_000 },
            // No fixed end to project to: charted without a forecast.
            { id: "lifetime", window: { type: "lifetime" }, tokens: 1_000_000_000 },
          ],
        },
        {
          id: "planner",
          name: "Planner daily",
          scope: { component: "planner" },
          limits: [{ id: "daily", window: { type: "day" }, tokens: 10_000, enforcement: "warn" }],
        },
      ],
    });
    server = await startServer({ config });
    await post("/v1/runs", { id: "nightly-1", name: "Nightly eval", config: { workers: 2 } });
    await record("coder", 1000, 500, "1.25");
    await record("planner", 4000, 2000, "2.50");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("serves the app at / and at page paths, but keeps API 404s as problems", async () => {
    const root = await fetch(`${server.url}/`);
    expect(root.headers.get("content-type")).toContain("text/html");
    expect(await root.text()).toContain('<div id="app">');
    expect((await fetch(`${server.url}/alerts`)).headers.get("content-type")).toContain("text/html");
    const api404 = await fetch(`${server.url}/v1/nope`);
    expect([api404.status, api404.headers.get("content-type")]).toEqual([404, "application/problem+json"]);
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it("rejects a wrong key, then signs in and shows used against limit for every budget", async () => {
    await page.goto(server.url);
    await page.fill("input[name=apiKey]", "bgt_not_a_key_at_all_000");
    await page.click("button[type=submit]");
    await page.getByText("That key is not valid.").waitFor();
    await page.fill("input[name=apiKey]", ADMIN_KEY);
    await page.click("button[type=submit]");

    const team = page.getByTestId("limit-team/monthly");
    await expect.poll(() => team.getByTestId("amount-spend").locator(".used").textContent()).toBe("$3.75");
    expect(await team.getByTestId("amount-spend").locator(".cap").textContent()).toBe("$10.00");
    expect(await team.getByTestId("amount-tokens").locator(".used").textContent()).toBe("7,500");
    expect(await team.getByTestId("amount-tokens").locator(".cap").textContent()).toBe("1,000,000");
    const planner = page.getByTestId("limit-planner/daily");
    expect(await planner.getByTestId("amount-tokens").locator(".used").textContent()).toBe("6,000");
    expect(await planner.getByTestId("amount-tokens").locator(".bar").getAttribute("class")).toContain(
      "bar-ok",
    );
    await page.getByTestId("live-state").getByText("Live").waitFor();
    await page.waitForSelector(".limit .uplot");
  });

  it("shows usage recorded through the API without a reload (SSE)", async () => {
    const planner = page.getByTestId("limit-planner/daily").getByTestId("amount-tokens");
    const navigations: string[] = [];
    page.on("framenavigated", (f) => navigations.push(f.url()));
    await record("planner", 2000, 500, "0.75");
    await expect.poll(() => planner.locator(".used").textContent(), { timeout: 10_000 }).toBe("8,500");
    expect(await planner.locator(".bar").getAttribute("class")).toContain("bar-warn");
    const team = page.getByTestId("limit-team/monthly").getByTestId("amount-spend");
    expect(await team.locator(".used").textContent()).toBe("$4.50");
    expect(navigations).toEqual([]);
    await page.screenshot({ path: shot("budgets-1400"), fullPage: true });
  });

  it("charts a forecast only for a window with an end, and the amount the person switches to", async () => {
    const legend = (card: string) =>
      page.getByTestId(card).locator(".u-legend .u-series .u-label").allTextContents();
    const monthly = page.getByTestId("limit-team/monthly");
    const chart = monthly.locator("figure.chart");
    // A calendar month with usage: used, its forecast to the month's end, and the cap.
    await expect
      .poll(() => legend("limit-team/monthly"))
      .toEqual(expect.arrayContaining(["used", "forecast", "limit"]));
    expect(await monthly.getByTestId("forecast").count()).toBe(1);
    // A lifetime limit never resets: used and the cap, no forecast line, no forecast.
    await expect.poll(() => legend("limit-team/lifetime")).toEqual(expect.arrayContaining(["used", "limit"]));
    expect(await legend("limit-team/lifetime")).not.toContain("forecast");
    expect(await page.getByTestId("limit-team/lifetime").getByTestId("forecast").count()).toBe(0);
    // Cost binds (45 % of $10 against 1 % of the tokens); the switch charts tokens instead.
    const metric = monthly.getByTestId("burn-metric");
    expect(await metric.locator("button.active").textContent()).toBe("cost");
    await expect.poll(() => chart.getAttribute("aria-label")).toBe("cost used: $4.50 of $10.00");
    expect(await monthly.getByTestId("forecast").locator(".num").textContent()).toMatch(/^\$/);
    await metric.getByRole("button", { name: "tokens" }).click();
    await expect.poll(() => chart.getAttribute("aria-label")).toBe("tokens used: 10K of 1M");
    expect(await metric.locator("button.active").textContent()).toBe("tokens");
    expect(await monthly.getByTestId("forecast").locator(".num").textContent()).toMatch(/^[\d.,]+[KMB]?$/);
    await metric.getByRole("button", { name: "cost" }).click();
    await expect.poll(() => chart.getAttribute("aria-label")).toBe("cost used: $4.50 of $10.00");
  });

  it("acknowledges an alert", async () => {
    const open = async () =>
      (
        (await (
          await fetch(`${server.url}/v1/alerts?unacknowledged=true`, {
            headers: { authorization: `Bearer ${ADMIN_KEY}` },
          })
        ).json()) as { items: { id: string }[] }
      ).items;
    // Its own alerts, whatever ran before: a denied reservation (over team's 1,000,000 tokens) raises
    // one (once per window, recording nothing), beside planner's threshold alerts.
    const denied = await fetch(`${server.url}/v1/reservations`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        dimensions: { component: "coder", provider: "openai", model: "gpt-4o-mini" },
        estimate: { inputTokens: 2_000_000, outputTokens: 0 },
        costUsd: "0.01",
      }),
    });
    expect(((await denied.json()) as { status: string }).status).toBe("denied");
    await openApp(page);
    const before = await open();
    expect(before.length).toBeGreaterThanOrEqual(2);
    // The badge is absent at 0 open alerts: read it without waiting for it (a locator's textContent()
    // would wait, up to its 30 s timeout, for a badge that is gone for good).
    const badge = page.getByTestId("open-alerts");
    const badgeText = async () => (await badge.allTextContents())[0] ?? "0";
    await expect.poll(badgeText).toBe(String(before.length));
    await page.click("nav a[href='/alerts']");
    const rows = page.getByTestId("alerts").locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(before.length);
    await page.screenshot({ path: shot("alerts-1400") });
    const first = await rows.first().getAttribute("data-alert-id");
    const button = page.locator(`tr[data-alert-id="${first}"] button`);
    // A second click before the list reloads sends nothing: the button is disabled once clicked.
    const acks: string[] = [];
    const onRequest = (r: { method: () => string; url: () => string }) =>
      r.method() === "POST" && r.url().endsWith("/ack") && acks.push(r.url());
    page.on("request", onRequest);
    await button.getByText("Acknowledge").click();
    // (Gone already when the list reloaded first: then there is nothing to click.)
    await button.click({ force: true, timeout: 1000 }).catch(() => {});
    await expect.poll(() => rows.count()).toBe(before.length - 1);
    page.off("request", onRequest);
    expect(acks).toEqual([`${server.url}/v1/alerts/${first}/ack`]);
    expect(await page.locator(".state-error").count()).toBe(0);
    const after = await open();
    expect(after.map((a) => a.id)).not.toContain(first);
    expect(after.length).toBe(before.length - 1);
    // The nav badge follows the acknowledgement at once.
    await expect.poll(badgeText).toBe(String(after.length));
    // Acknowledgements made elsewhere (here: the API) reach the badge over SSE (`alert_ack`), on a
    // page that does not list alerts and without a reload, down to no badge at all.
    await page.click("nav a[href='/usage']");
    for (const [i, a] of after.entries()) {
      const ack = await fetch(`${server.url}/v1/alerts/${encodeURIComponent(a.id)}/ack`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(ack.status).toBe(200);
      await expect.poll(badgeText).toBe(String(after.length - 1 - i));
    }
    expect(await badge.count()).toBe(0);
  });

  it("renders every other view with its data", async () => {
    const views = [
      { href: "/breakdown", testId: "breakdown-model", text: "gpt-4o-mini" },
      { href: "/runs", testId: "runs", text: "Nightly eval" },
      { href: "/usage", testId: "usage", text: "planner" },
      { href: "/prices", testId: "prices", text: "gpt-4o-mini" },
    ];
    for (const v of views) {
      await page.click(`nav a[href='${v.href}']`);
      if (v.href === "/prices") await page.fill("input[type=search]", "openai 4o-mini");
      await page.getByTestId(v.testId).getByText(v.text).first().waitFor();
      await page.screenshot({ path: shot(`${v.href.slice(1)}-1400`) });
    }
    // Usage lists the newest event first: the 0.75 planner call recorded last.
    await page.click("nav a[href='/usage']");
    await expect
      .poll(() => page.getByTestId("usage").locator("tbody tr").first().textContent())
      .toContain("$0.75");
    // Usage filters live in the URL: a reload keeps them.
    await page.fill("input[name=component]", "coder");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("?component=coder");
    await expect.poll(() => page.getByTestId("usage").locator("tbody tr").count()).toBe(1);
    await page.reload();
    expect(await page.inputValue("input[name=component]")).toBe("coder");
    await expect.poll(() => page.getByTestId("usage").locator("tbody tr").count()).toBe(1);
    expect(await page.getByTestId("usage").locator("tbody tr").first().textContent()).toContain("coder");
    await page.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("");
    await page.click("nav a[href='/runs']");
    // The runs list carries each run's tokens and cost from the ledger.
    const nightly = page.getByTestId("runs").locator("tbody tr", { hasText: "Nightly eval" });
    await expect.poll(() => nightly.getByTestId("run-tokens").textContent()).toBe("10,000");
    expect(await nightly.getByTestId("run-cost").textContent()).toBe("$4.50");
    await page.getByRole("link", { name: "Nightly eval" }).click();
    await page.getByText("Spend by worker and model").waitFor();
    // Per worker, per task, per model: a table each, and the cumulative spend per worker charted.
    await page.getByTestId("run-chart").locator("canvas").first().waitFor();
    await expect
      .poll(() => page.getByTestId("run-by-worker").locator("tbody tr").textContent())
      .toContain("w1");
    expect(await page.getByTestId("run-by-model").locator("tbody tr").textContent()).toContain("gpt-4o-mini");
    expect(await page.getByTestId("run-by-task").locator("tbody tr").textContent()).toContain("(none)");
    expect(await page.locator("main table.grid tbody tr").first().textContent()).toContain("$4.50");
    // Summary and configuration read as facts and tables, not raw JSON.
    expect(await page.getByTestId("run-config").textContent()).toMatch(/workers\s*2/);
    expect(await page.locator("main pre.json").count()).toBe(0);
    await page.screenshot({ path: shot("run-1400") });
  });

  it("says so at an unknown path instead of showing Budgets", async () => {
    await page.goto(`${server.url}/no-such-page`);
    await page.getByTestId("not-found").getByText("/no-such-page").waitFor();
    expect(await page.getByTestId("limit-team/monthly").count()).toBe(0);
    await page.getByTestId("not-found").getByRole("link").click();
    await page.getByTestId("limit-team/monthly").waitFor();
  });

  it("shows a budget's detail page: every limit, its daily spend, its alerts", async () => {
    await page.getByTestId("open-planner").getByRole("link").click();
    await page.getByTestId("budget-detail").waitFor();
    expect(new URL(page.url()).pathname).toBe("/budgets/planner");
    await page.getByTestId("limit-planner/daily").waitFor();
    expect(await page.getByTestId("limit-team/monthly").count()).toBe(0);
    await page.getByTestId("budget-history").locator("canvas").first().waitFor();
    // planner/daily crossed its thresholds (85 % of 10,000 tokens): its alerts, not the team's.
    const alerts = page.getByTestId("budget-alerts").locator("tbody tr");
    await expect.poll(() => alerts.count()).toBeGreaterThan(0);
    for (const text of await alerts.allTextContents()) expect(text).toContain('"planner"');
    await page.screenshot({ path: shot("budget-1400"), fullPage: true });
    // A reload keeps the page (the server answers every page path with the app).
    await page.reload();
    await page.getByTestId("limit-planner/daily").waitFor();
    await page.goto(`${server.url}/budgets/nope`);
    // An unknown budget says so (the server's not-found problem), with no limit cards.
    await page.getByTestId("budget-detail").locator(".state-error", { hasText: "nope" }).waitFor();
    expect(await page.locator(".limit").count()).toBe(0);
    await page.goto(server.url);
  });

  it("lists 5,000 budgets collapsed, a page at a time, with search and filters", {
    timeout: 120_000,
  }, async () => {
    // A fresh visit: no open page reloading on the seed's 5,000 `budget` events meanwhile.
    await page.goto("about:blank");
    await seedWorkerBudgets(server.engine, 5000);
    const asked: string[] = [];
    const listen = (r: { url: () => string }) =>
      asked.push(new URL(r.url()).pathname + new URL(r.url()).search);
    page.on("request", listen);
    const started = Date.now();
    await page.goto(server.url);
    await page.getByTestId("budget-count").getByText("5002 budgets", { exact: true }).waitFor();
    // One request for the list and its counts: a page of budgets, filtered and sorted on the server.
    expect(asked).toContain("/v1/status/budgets?offset=0&limit=25");
    expect(asked.filter((u) => /^\/v1\/(status(\?|\/summary|$)|budgets)/.test(u))).toEqual([]);
    page.off("request", listen);
    await expect.poll(() => page.locator("section.budget").count()).toBe(25);
    const firstScreenMs = Date.now() - started;
    // Again, with the engine's budgets loaded (the first answer also read the 5,000 new budgets).
    const again = Date.now();
    await page.reload();
    await page.getByTestId("budget-count").getByText("5002 budgets", { exact: true }).waitFor();
    await expect.poll(() => page.locator("section.budget").count()).toBe(25);
    console.log(
      `Budgets page, 5,002 budgets: first screen in ${firstScreenMs} ms (${Date.now() - again} ms on a reload)`,
    );
    // Collapsed one-liners, 25 per page: no limit card (and no chart) until one is expanded.
    expect(await page.locator("section.budget").count()).toBe(25);
    expect(await page.locator(".limit").count()).toBe(0);
    await page.fill("input[name=search]", "worker-4102");
    await page.getByTestId("budget-count").getByText("1 of 5002 budgets").waitFor();
    // A short list opens its budgets; the person may still collapse one.
    await page.getByTestId("limit-worker-4102/day").waitFor();
    // Its definition comes with its statuses: the scope chip names its worker.
    await page.locator("section.budget .chip", { hasText: "worker: w4102" }).waitFor();
    await page.getByTestId("toggle-worker-4102").click();
    await expect.poll(() => page.getByTestId("limit-worker-4102/day").count()).toBe(0);
    await page.fill("input[name=search]", "");
    await page.getByTestId("budget-count").getByText("5002 budgets", { exact: true }).waitFor();
    // In the long list, expanding one budget shows its cards and chart, and only its.
    const toggle = page.locator("section.budget [data-testid^='toggle-worker-']").first();
    const id = (await toggle.getAttribute("data-testid"))!.slice("toggle-".length);
    await toggle.click();
    await page.getByTestId(`limit-${id}/day`).waitFor();
    expect(await page.locator(".limit").count()).toBe(1);
    await page.locator("[data-testid=budget-pager] button", { hasText: "Next" }).click();
    await expect.poll(() => page.locator("section.budget").count()).toBe(25);
    await page.selectOption("select[name=state]", "near");
    // planner/daily is at 85 % (8,500 of 10,000 tokens): the only budget at 80 % or more.
    await page.getByTestId("budget-count").getByText("1 of 5002 budgets").waitFor();
    await page.selectOption("select[name=state]", "");
    await page.getByTestId("budget-count").getByText("5002 budgets", { exact: true }).waitFor();
    await page.selectOption("select[name=dimension]", "component");
    await page.getByTestId("budget-count").getByText("1 of 5002 budgets").waitFor();
    await page.screenshot({ path: shot("budgets-5000-1400") });
  });

  it("fits a 420 px screen: the nav scrolls in its own row, the page never scrolls sideways", async () => {
    const narrow = await browser.newPage({ viewport: { width: 420, height: 900 } });
    try {
      await openApp(narrow);
      for (const path of ["/", "/budgets/planner", "/runs", "/usage", "/prices", "/alerts"]) {
        await narrow.goto(`${server.url}${path}`);
        await narrow.locator("nav a").first().waitFor();
        const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
        expect(width, path).toBeLessThanOrEqual(420);
        const alerts = await narrow.locator("nav a[href='/alerts']").boundingBox();
        expect(alerts, path).not.toBeNull();
        await narrow.screenshot({
          path: shot(`${path === "/" ? "budgets" : path.slice(1).replace("/", "-")}-420`),
          fullPage: true,
        });
      }
      await narrow.locator("nav a[href='/alerts']").click();
      await narrow.waitForURL(/\/alerts$/);
      await narrow.screenshot({ path: shot("alerts-420"), fullPage: true });
    } finally {
      await narrow.close();
    }
  });
  describe("every view at 1400 px and 420 px, with the demo's runs and 5,000 seeded budgets", () => {
    let demo: RunningServer;
    beforeAll(async () => {
      demo = await startServer({
        config: serverConfigSchema.parse({
          server: { port: 0 },
          database: { file: ":memory:" },
          auth: { adminKey: ADMIN_KEY },
          logging: { level: "silent" },
        }),
      });
      // `npm run demo`'s data: a strict run halted by its budget and a soft run that warns, through
      // the real openai client against a mock upstream on 127.0.0.1.
      const client = createBudgetClient({ url: demo.url, apiKey: ADMIN_KEY });
      await runExample({ client, log: () => {}, model: "gpt-4o-mini", provider: "openai" });
      await seedWorkerBudgets(demo.engine, 5000);
    }, 120_000);
    afterAll(async () => {
      await demo?.close();
    });

    const VIEWS = [
      { path: "/", name: "budgets", testId: "budget-count", text: /^50\d\d budgets$/ },
      { path: "/budgets/run%3Asoft-demo", name: "budget", testId: "budget-detail", text: "soft-demo" },
      { path: "/breakdown", name: "breakdown", testId: "breakdown-model", text: "gpt-4o-mini" },
      { path: "/runs", name: "runs", testId: "runs", text: "soft-demo" },
      { path: "/runs/soft-demo", name: "run", testId: "run-by-task", text: "%" },
      { path: "/usage", name: "usage", testId: "usage", text: "gpt-4o-mini" },
      { path: "/prices", name: "prices", testId: "prices", text: "openai" },
      { path: "/alerts", name: "alerts", testId: "alerts", text: "soft-demo" },
      { path: "/no-such-page", name: "not-found", testId: "not-found", text: "/no-such-page" },
    ];
    for (const width of [1400, 420])
      it(`shows each view with its data at ${width} px, never wider than the screen`, {
        timeout: 120_000,
      }, async () => {
        const p = await browser.newPage({ viewport: { width, height: 900 } });
        try {
          await openApp(p, "/", demo.url);
          for (const v of VIEWS) {
            await p.goto(`${demo.url}${v.path}`);
            await p.getByTestId(v.testId).getByText(v.text).first().waitFor();
            await p.screenshot({ path: shot(`demo-${v.name}-${width}`), fullPage: true });
            const scrollWidth = await p.evaluate(() => document.documentElement.scrollWidth);
            expect(scrollWidth, v.path).toBeLessThanOrEqual(width);
          }
        } finally {
          await p.close();
        }
      });
  });
});
