import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config.js";
import { createLogger } from "./create-logger.js";
import { redactUrls } from "./redact-text.js";

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger("debug", sink) };
}

describe("log redaction", () => {
  it("replaces query strings and user-info of URLs and request paths", () => {
    expect(redactUrls("GET /v1/events?api_key=bgt_x failed")).toBe("GET /v1/events?[redacted] failed");
    expect(redactUrls("to https://u:p@hooks.example/a?token=t1#f")).toBe(
      "to https://[redacted]@hooks.example/a?[redacted]#f",
    );
    expect(redactUrls("plain text, no url")).toBe("plain text, no url");
    expect(redactUrls("mail me at a@b.c")).toBe("mail me at a@b.c");
  });

  it("keeps secrets out of every part of a log line: message, fields, nested fields, errors, headers", () => {
    const { lines, logger } = capture();
    const err = new TypeError("cannot fetch https://user:hunter2@hooks.example/x?token=tok-err");
    logger.warn(
      {
        url: "https://hooks.example/in?token=tok-field",
        nested: { path: "/v1/events?api_key=bgt_nested" },
        headers: { "x-custom": "header-secret" },
        err,
      },
      "delivery to https://hooks.example/m?sig=tok-msg failed",
    );
    const text = lines.join("\n");
    for (const secret of ["tok-err", "hunter2", "tok-field", "bgt_nested", "header-secret", "tok-msg"])
      expect(text, secret).not.toContain(secret);
    expect(text).toContain("hooks.example/in?[redacted]");
    expect(text).toContain("cannot fetch https://[redacted]@hooks.example/x?[redacted]");
  });
});

describe("webhook URLs in the config", () => {
  const config = (webhook: Record<string, unknown>) => () => parseConfig({ webhooks: [webhook] }, {});

  it("refuses credentials in the URL and points to headers", () => {
    expect(config({ url: "https://user:pass@hooks.example/x" })).toThrow(/credentials/);
    expect(config({ url: "https://hooks.example/x?token=abc" })).toThrow(/secret in its query/);
    expect(config({ url: "https://hooks.example/x?api_key=abc" })).toThrow(/secret in its query/);
    expect(config({ url: "ftp://hooks.example/x" })).toThrow(/http/);
    expect(config({ url: "https://hooks.example/x", headers: { "x-budget-event": "no" } })).toThrow();
    expect(config({ url: "https://hooks.example/x", headers: { authorization: "a\\r\\nb" } })).not.toThrow();
    expect(config({ url: "https://hooks.example/x", headers: { authorization: "a\r\nb" } })).toThrow();
  });

  it("takes credentials as headers, and a harmless query string", () => {
    const parsed = parseConfig(
      {
        webhooks: [{ url: "https://hooks.example/x?channel=ops", headers: { authorization: "Bearer t" } }],
      },
      {},
    );
    expect(parsed.webhooks[0]?.headers).toEqual({ authorization: "Bearer t" });
  });
});
