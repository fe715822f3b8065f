/**
 * Where Budget's cost or resolution deliberately differs from genai-prices' `calcPrice`, or where
 * genai-prices data cannot be expressed as effective-dated versions. Each entry has a test in
 * `oracle.test.ts` asserting the documented behaviour.
 */
export const EXCEPTIONS = [
  {
    id: "unsupported_price_key",
    models: [
      "*: image input/video tokens, audio hours, document pages, storage searches, text messages, citation tokens",
    ],
    reason:
      "Usage has no bucket for these units; they are dropped from the version and listed in the conversion notes. " +
      "Image input, video and citation tokens reported inside input/output are billed at the input/output rate " +
      "(image output tokens have their own bucket, outputImageTokens, and rate, imageOutput).",
  },
  {
    id: "requests_counted",
    models: ["perplexity:sonar*"],
    reason:
      "genai-prices charges exactly one request per call; Budget charges `usage.requests` (1 by default).",
  },
  {
    id: "unrepresentable_match",
    models: ["*: match rules using contains, ends_with, regex or and"],
    reason:
      "The catalog resolves ids, equals aliases, starts_with prefixes and shortened ids (region, vendor, version, " +
      "date affixes removed); names only a contains/ends_with/regex rule accepts do not resolve, or resolve elsewhere.",
  },
  {
    id: "batch_full_price",
    models: ["*"],
    reason:
      "genai-prices has no batch prices: bundled versions have no batchMultiplier, so batch requests pay full price.",
  },
  {
    id: "unpriced_flagged",
    models: ["*: e.g. embedding models (input rate only)"],
    reason:
      "A non-zero bucket with no applicable rate costs nothing in both, but Budget lists it in `unpriced` " +
      "instead of treating it as free.",
  },
] as const;
