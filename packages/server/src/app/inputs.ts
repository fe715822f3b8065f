import { DIMENSIONS, type Dimension, type Dimensions } from "@budget/core";
import { z } from "zod";

/** A path `{id}`. */
export const idParams = z.object({ id: z.string().min(1).max(256) });

/** An instant in a query string: epoch ms or an ISO 8601 date-time. */
export const instantParam = z
  .string()
  .transform((s, ctx) => {
    const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "must be epoch milliseconds or an ISO 8601 date-time" });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ description: "epoch ms or ISO 8601", example: "2026-05-01T00:00:00Z" });

/** `limit` and `cursor` of list endpoints. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).max(512).optional(),
};

/** Dimension filters in a query string (`?component=planner&model=gpt-4o&tags=a,b`). */
export const dimensionQuery = {
  ...(Object.fromEntries(DIMENSIONS.map((d) => [d, z.string().min(1).max(256).optional()])) as Record<
    Dimension,
    z.ZodOptional<z.ZodString>
  >),
  tags: z.string().min(1).max(2048).optional(),
};

/** The dimensions named in a parsed query (undefined when none). */
export function dimensionsFromQuery(
  q: Partial<Record<Dimension | "tags", string | undefined>>,
): Dimensions | undefined {
  const out: Dimensions = {};
  for (const d of DIMENSIONS) {
    const v = q[d];
    if (v !== undefined) out[d] = v;
  }
  if (q.tags) out.tags = q.tags.split(",").filter(Boolean);
  return Object.keys(out).length ? out : undefined;
}

/** Offset cursors for lists held in memory (budgets, prices, keys). */
export function pageOf<T>(
  items: readonly T[],
  limit: number,
  cursor?: string,
): { items: T[]; nextCursor: string | null } {
  const start = cursor ? Number.parseInt(Buffer.from(cursor, "base64url").toString(), 10) || 0 : 0;
  const page = items.slice(start, start + limit);
  const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString("base64url") : null;
  return { items: page, nextCursor: next };
}

/** A JSON response (bigint-free bodies only: money is already a USD string). */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { ...headers, "content-type": "application/json" },
  });
}
