import { describe, expect, it } from "vitest";
import { readUrlFilters, urlFiltersQuery } from "./url-filters.js";

describe("Usage filters in the URL", () => {
  it("round-trips the filled fields and drops empty and unknown ones", () => {
    const qs = urlFiltersQuery({ component: " planner ", model: "", from: "2026-12-01T10:00", nope: "x" });
    expect(qs).toBe("?from=2026-12-01T10%3A00&component=planner");
    expect(readUrlFilters(qs)).toEqual({ from: "2026-12-01T10:00", component: "planner" });
  });
  it("is empty without filters", () => {
    expect(urlFiltersQuery({})).toBe("");
    expect(readUrlFilters("?other=1&run=")).toEqual({});
  });
});
