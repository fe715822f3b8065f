import type { Catalog } from "@budget/core";

/** A {@link Catalog} whose prices can be replaced while the engine runs (after a price update). */
export interface LiveCatalog extends Catalog {
  swap(next: Catalog): void;
  current(): Catalog;
}

/** Delegates every lookup to the current catalog; `swap` takes effect for the next lookup. */
export function createLiveCatalog(initial: Catalog): LiveCatalog {
  let current = initial;
  return {
    resolve: (query) => current.resolve(query),
    explain: (query) => current.explain(query),
    getVersion: (id) => current.getVersion(id),
    versions: () => current.versions(),
    swap(next) {
      current = next;
    },
    current: () => current,
  };
}
