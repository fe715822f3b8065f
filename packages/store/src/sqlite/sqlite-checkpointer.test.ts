import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { startCheckpointer } from "./sqlite-checkpointer.js";

describe("startCheckpointer", () => {
  it("reports a thread that cannot work, so the writer takes checkpoints back", async () => {
    const onFailure = vi.fn();
    const checkpointer = startCheckpointer(join("/nonexistent", "dir", "budget.db"), 10, onFailure);
    await vi.waitFor(() => expect(onFailure).toHaveBeenCalledTimes(1), { timeout: 5000 });
    await checkpointer.stop();
  });
});
