/**
 * The first line `npm start` prints of its own: what follows npm's `> script` banners (and the
 * build's output, if any). The server names its store there, before anything else.
 */
export function firstOwnLine(out: string): string | undefined {
  return out.split("\n").find((line) => line.trim() !== "" && !line.startsWith("> "));
}
