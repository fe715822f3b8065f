import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { dashboardDistDir } from "../index.js";

/** Debian's Chromium: browser tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Arguments for a quiet headless Chromium that touches nothing beyond loopback. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Screenshots for a person to look at: `screenshots/dashboard/` at the repository root (git-ignored). */
export const screenshotPath = (name: string) =>
  join(fileURLToPath(new URL("../../../../screenshots/dashboard/", import.meta.url)), `${name}.png`);

function newest(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((t, e) => Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
}

/** Builds the dashboard when `dist` is missing or older than a source file. */
export async function ensureDashboardBuilt(): Promise<void> {
  const index = `${dashboardDistDir}index.html`;
  const src = fileURLToPath(new URL("..", import.meta.url));
  if (existsSync(index) && statSync(index).mtimeMs >= newest(src)) return;
  const { build } = await import("vite");
  await build({
    configFile: fileURLToPath(new URL("../../vite.config.ts", import.meta.url)),
    logLevel: "warn",
  });
}
