import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The `x-budget-signature` value of a body: `sha256=` and the hex HMAC-SHA256 of the raw body bytes
 * keyed with the webhook's secret.
 */
export function signWebhookBody(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/**
 * Checks an `x-budget-signature` header against the raw body, in constant time: what a receiver
 * written in Node runs before trusting a delivery.
 *
 * @example if (!verifyWebhookSignature(secret, rawBody, req.headers["x-budget-signature"])) return res.writeHead(401).end();
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string | undefined | null,
): boolean {
  if (!header) return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
