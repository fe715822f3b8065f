import pino, { type DestinationStream, type Logger } from "pino";
import { redactDeep, redactUrls } from "./redact-text.js";

/** Fields whose values are secrets wherever they appear. */
const SECRET_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "key",
  "*.key",
  "adminKey",
  "*.adminKey",
  "apiKey",
  "*.apiKey",
  "secret",
  "*.secret",
  "headers",
  "*.headers",
];

/**
 * Pino with secrets redacted: keys, secrets and webhook headers are censored by field, and every
 * string of every line — message, fields, errors — has its URLs' query strings and user-info
 * replaced by `[redacted]`.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: SECRET_PATHS, censor: "[redacted]" },
    formatters: { log: (obj) => redactDeep(obj) as Record<string, unknown> },
    serializers: { err: (err: Error) => redactDeep(pino.stdSerializers.err(err)) },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((a) => (typeof a === "string" ? redactUrls(a) : a)) as Parameters<typeof method>,
        );
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
