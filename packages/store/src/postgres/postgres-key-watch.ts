import pg from "pg";

/** The NOTIFY channel of a schema's API keys (at most 63 bytes, like every PostgreSQL name). */
export function apiKeyChannel(schema: string): string {
  return `budget_keys_${schema}`.slice(0, 63);
}

/** How long a lost listening connection waits before it connects again. */
const RECONNECT_MS = 1000;

/**
 * LISTENs on `channel` on a connection of its own and calls `listener` with each payload (a key
 * id). A lost connection is opened again; `*` is reported then, since notifications sent
 * meanwhile are lost. Resolves, once the first LISTEN is in place, to a function that stops.
 */
export async function listenForKeyChanges(
  url: string,
  channel: string,
  listener: (keyId: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const open = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    c.on("notification", (n) => {
      if (n.channel === channel) listener(n.payload ?? "*");
    });
    c.on("error", () => {
      if (stopped || client !== c) return;
      client = null;
      c.end().catch(() => {});
      listener("*");
      retry = setTimeout(() => void open().catch(() => {}), RECONNECT_MS);
      retry.unref();
    });
    await c.connect();
    await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
    if (stopped) await c.end();
    else client = c;
  };
  await open();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    await client?.end().catch(() => {});
    client = null;
  };
}
