import { readFile, writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { clientFor, runExample } from "./run.js";

const EXPECTED = new URL("./expected-output.txt", import.meta.url);

describe("orchestrator example", () => {
  it("prints a strict run halted by its budget and a soft run that warns, deterministically", async () => {
    const lines: string[] = [];
    await runExample({ client: await clientFor({}), log: (l) => lines.push(l) });
    const output = `${lines.join("\n")}\n`;
    // UPDATE_EXPECTED=1 rewrites the committed output after an intended change.
    if (process.env.UPDATE_EXPECTED === "1") await writeFile(EXPECTED, output);
    expect(output).toBe(await readFile(EXPECTED, "utf8"));
    expect(output).toMatch(/worker w2 halted: budget "run:strict-demo"/);
    expect(output).toMatch(/run strict-demo halted/);
    expect(output).toMatch(/warning \(.+\): budget "run:soft-demo" limit "lifetime" reached 80%/);
    expect(output).toMatch(/run soft-demo completed: 7 of 7 tasks done/);
  });
});
