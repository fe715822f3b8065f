/** What a guarded stream reports to its owner. */
export interface StreamHooks<Item> {
  /** Sees every item before the consumer does (usage accumulates here); `false` hides it from the consumer. */
  observe(item: Item): boolean | undefined;
  /** The stream ended normally (including a quiet end after `controller.abort()`). */
  ended(): Promise<void>;
  /** The stream threw, or the consumer stopped early: the usage may never arrive. */
  abandoned(): Promise<void>;
}

/** Iterates `source`, reporting to `hooks`; every exit path reaches exactly one hook. */
export async function* guardIterable<Item>(source: AsyncIterable<Item>, hooks: StreamHooks<Item>) {
  let finished = false;
  try {
    for await (const item of source) {
      if (hooks.observe(item) !== false) yield item;
    }
    finished = true;
    await hooks.ended();
  } finally {
    // Reached on a throw from the source and on the consumer's `break` (generator return).
    if (!finished) await hooks.abandoned();
  }
}

/** The shape of the SDKs' `Stream` (Stainless): built from an iterator factory and a controller. */
interface StainlessStream<Item> extends AsyncIterable<Item> {
  controller: AbortController;
}
type StreamClass<Item> = new (iterator: () => AsyncIterator<Item>, controller: AbortController) => unknown;

/**
 * A stream of the same class as `stream` (so `tee`, `toReadableStream` and `controller` work as
 * before) whose items pass through {@link guardIterable}.
 */
export function guardSdkStream<S extends StainlessStream<Item>, Item>(
  stream: S,
  hooks: StreamHooks<Item>,
): S {
  const Ctor = stream.constructor as StreamClass<Item>;
  return new Ctor(() => guardIterable(stream, hooks), stream.controller) as S;
}
