import { storedKey } from "../../api/api.js";

/**
 * Downloads an export with the key in the Authorization header (a plain link would have to carry
 * the key in its URL, where proxies and history keep it).
 */
export async function download(url: string, filename: string): Promise<void> {
  const key = storedKey();
  const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!res.ok) throw new Error(`export failed: HTTP ${res.status}`);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
