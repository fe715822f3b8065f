import { BudgetError } from "@budget/core";

/** What the SDKs' `APIPromise.withResponse()` resolves to. */
export interface WithResponse<T> {
  data: T;
  response: Response;
  request_id: string | null;
}

/** A promise with the parts of `APIPromise` a guarded call can honour. */
export type GuardedPromise<T> = Promise<T> & {
  withResponse(): Promise<WithResponse<T>>;
  asResponse(): Promise<Response>;
  /** What the SDKs' `parse()` helpers chain on `create()`. */
  _thenUnwrap<U>(transform: (data: T, props: { response: Response }) => U): GuardedPromise<U>;
};

/**
 * Wraps a guarded call's result so `await`, `.withResponse()` (used by the SDKs' own stream
 * helpers) keep working. `.asResponse()` is refused: it hands over the raw body, so the usage
 * could not be committed.
 */
export function guardedPromise<T>(run: Promise<WithResponse<T>>): GuardedPromise<T> {
  const data = run.then((r) => r.data) as GuardedPromise<T>;
  // Whichever of the two the caller awaits gets the error; the other must not report it as unhandled.
  run.catch(() => {});
  data.catch(() => {});
  data.withResponse = () => run;
  data.asResponse = () =>
    Promise.reject(
      new BudgetError("invalid_input", "asResponse() bypasses budget accounting; use withResponse() instead"),
    );
  data._thenUnwrap = (transform) =>
    guardedPromise(run.then((r) => ({ ...r, data: transform(r.data, { response: r.response }) })));
  return data;
}
