/**
 * A view of an SDK resource with some members replaced. Other methods run with the view as
 * `this`, and `_client` reads as `client`, so the SDK's own helpers (`stream()`, `parse()`),
 * which call `this._client.<resource>.create`, go through the replaced members too.
 */
export function overrideResource<T extends object>(
  target: T,
  overrides: Record<string, unknown>,
  client?: () => object,
): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === "string" && Object.hasOwn(overrides, prop)) return overrides[prop];
      if (prop === "_client" && client) return client();
      return Reflect.get(t, prop, receiver);
    },
  });
}

/**
 * A view of an SDK client with some resources replaced. Everything else is read from the client
 * itself, and its methods are bound to it, because they use private fields a proxy cannot reach.
 */
export function overrideClient<T extends object>(target: T, resources: Record<string, () => unknown>): T {
  const cache = new Map<string, unknown>();
  return new Proxy(target, {
    get(t, prop) {
      if (typeof prop === "string" && Object.hasOwn(resources, prop)) {
        if (!cache.has(prop)) cache.set(prop, resources[prop]?.());
        return cache.get(prop);
      }
      const value = Reflect.get(t, prop, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}
