import type { Query } from "../../api/api.js";
import { server } from "../../api/api.js";

/**
 * Downloads a usage export (`format` csv or json) with the key in the Authorization header (a
 * plain link would have to carry the key in its URL, where proxies and history keep it).
 */
export async function download(query: Query, filename: string): Promise<void> {
  const href = URL.createObjectURL(await (await server.usage.export(query)).blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
