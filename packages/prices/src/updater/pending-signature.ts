import { type PriceBody, priceFields, rateKey } from "./rate-fields.js";

/**
 * A stable text naming one proposal (model + every rate), so a proposal already pending or
 * rejected is recognised on the next run instead of being quarantined again.
 */
export function signatureOf(provider: string, model: string, body: PriceBody): string {
  const fields = [...priceFields(body)].map(([f, r]) => `${f}=${rateKey(r)}`).sort();
  return `${provider}/${model}|${fields.join(";")}`;
}
