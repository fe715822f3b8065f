/** The Usage page's filter fields, kept in the address bar so a reload or a shared link keeps them. */
export const USAGE_FIELDS = [
  "from",
  "to",
  "component",
  "provider",
  "model",
  "project",
  "user",
  "run",
  "worker",
  "task",
] as const;

/** The filter values (`from`/`to` as the form's local date-times) in a query string. */
export function readUrlFilters(search: string): Record<string, string> {
  const params = new URLSearchParams(search);
  const out: Record<string, string> = {};
  for (const f of USAGE_FIELDS) {
    const v = params.get(f)?.trim();
    if (v) out[f] = v;
  }
  return out;
}

/** `?field=value…` for the non-empty filter values ("" when none). */
export function urlFiltersQuery(draft: Record<string, string>): string {
  const params = new URLSearchParams();
  for (const f of USAGE_FIELDS) {
    const v = draft[f]?.trim();
    if (v) params.set(f, v);
  }
  const qs = params.toString();
  return qs ? `?${qs}` : "";
}
