import { describe, expect, it } from "vitest";
import { withQuery } from "../../api/api.js";
import { expandedByDefault, isFiltered, PAGE_SIZE, pageQuery, stateOf } from "./budget-list.js";

describe("Budgets page list", () => {
  it("asks the server for one page of the filtered list, empty fields left out", () => {
    expect(withQuery("/v1/status/budgets", pageQuery({}, 0))).toBe("/v1/status/budgets?offset=0&limit=25");
    expect(
      withQuery("/v1/status/budgets", pageQuery({ search: "  worker-4 ", state: "near", order: "reset" }, 2)),
    ).toBe(`/v1/status/budgets?search=worker-4&state=near&order=reset&offset=${2 * PAGE_SIZE}&limit=25`);
    expect(withQuery("/v1/status/budgets", pageQuery({ search: "   " }, 0))).toBe(
      "/v1/status/budgets?offset=0&limit=25",
    );
  });

  it("counts the order as no filter, a blank search neither", () => {
    expect(isFiltered({})).toBe(false);
    expect(isFiltered({ order: "name" })).toBe(false);
    expect(isFiltered({ search: " " })).toBe(false);
    expect(isFiltered({ dimension: "worker" })).toBe(true);
  });

  it("colours by the summary's thresholds and opens only short lists", () => {
    expect([0, 0.79, 0.8, 0.99, 1, 5.1].map(stateOf)).toEqual(["ok", "ok", "warn", "warn", "over", "over"]);
    expect(expandedByDefault(5)).toBe(true);
    expect(expandedByDefault(6)).toBe(false);
  });
});
