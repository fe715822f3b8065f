/**
 * The text of a request as forwarded, from the caller's `text` (which parsed to `original`) and the
 * params to send. Unchanged params: the caller's exact bytes. Fields only added (the output cap,
 * `stream_options` a caller did not send): spliced in after the opening brace, so the caller's
 * bytes pass as they came and a large prompt is not serialized again. Anything else (a fallback
 * `model`, a cap lowered): serialized anew.
 */
export function requestText(
  text: string,
  original: Record<string, unknown>,
  sent: Record<string, unknown>,
): string {
  if (sent === original) return text;
  const added: string[] = [];
  for (const k of Object.keys(sent)) {
    if (!Object.hasOwn(original, k)) added.push(`${JSON.stringify(k)}:${JSON.stringify(sent[k])}`);
    else if (sent[k] !== original[k]) return JSON.stringify(sent);
  }
  if (Object.keys(original).some((k) => !Object.hasOwn(sent, k))) return JSON.stringify(sent);
  const brace = text.indexOf("{");
  if (added.length === 0) return text;
  const rest = text.slice(brace + 1);
  // `{}` takes the fields alone; otherwise a comma joins them to the caller's first field.
  const empty = /^\s*\}/.test(rest);
  return `${text.slice(0, brace + 1)}${added.join(",")}${empty ? "" : ","}${rest}`;
}
