import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import { dashboardDistDir } from "@budget/dashboard";
import type { MiddlewareHandler } from "hono";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
  ".woff2": "font/woff2",
};

/** The page may talk to its own origin only; uPlot and Preact set styles from script. */
const HTML_HEADERS = {
  "cache-control": "no-cache",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Paths the API owns: never answered with the dashboard, so their 404s stay problem+json. */
const isApiPath = (p: string) =>
  p === "/v1" || p.startsWith("/v1/") || ["/healthz", "/readyz", "/metrics"].includes(p);

/** The default build folder: the installed `@budget/dashboard`'s build (or `BUDGET_DASHBOARD_DIR`). */
function defaultDir(): string {
  return process.env.BUDGET_DASHBOARD_DIR ?? dashboardDistDir;
}

async function fileAt(path: string): Promise<Buffer | null> {
  try {
    return (await stat(path)).isFile() ? await readFile(path) : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built dashboard (`@budget/dashboard`) at `/`: its files as they are (hashed
 * `assets/` cached for a year), and `index.html` for any other page path so client-side routes
 * survive a reload. API paths and a missing build fall through to the API's 404.
 *
 * @example app.get("*", serveDashboard());
 */
export function serveDashboard(options: { dir?: string } = {}): MiddlewareHandler {
  const root = normalize(options.dir ?? defaultDir());
  return async (c, next) => {
    const path = c.req.path;
    if (isApiPath(path)) return next();
    let file: string;
    try {
      file = normalize(join(root, decodeURIComponent(path)));
    } catch {
      return next();
    }
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return next();
    const asset = path === "/" ? null : await fileAt(file);
    if (asset) {
      const type = CONTENT_TYPES[extname(file)] ?? "application/octet-stream";
      const cache = path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
      const headers = type.startsWith("text/html") ? HTML_HEADERS : { "cache-control": cache };
      return c.body(new Uint8Array(asset), 200, { "content-type": type, ...headers });
    }
    // A page path (no extension) gets the app; a missing asset stays a 404.
    if (extname(path) !== "") return next();
    const index = await fileAt(join(root, "index.html"));
    if (!index) return next();
    return c.body(new Uint8Array(index), 200, {
      "content-type": CONTENT_TYPES[".html"] ?? "text/html",
      ...HTML_HEADERS,
    });
  };
}
