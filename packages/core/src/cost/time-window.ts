import { BudgetError } from "../errors/budget-error.js";
import type { PriceVersion, TimeWindowRates } from "../price/price.js";

const DAY_S = 86_400;

/** Seconds since UTC midnight of `HH:MM[:SS]`. */
export function utcSeconds(time: string): number {
  const [h = 0, m = 0, s = 0] = time.split(":").map(Number);
  return h * 3600 + m * 60 + s;
}

/** Whether a UTC second of the day falls in `[startUtc, endUtc)`, wrapping past midnight when end < start. */
export function inWindow(window: Pick<TimeWindowRates, "startUtc" | "endUtc">, secondOfDay: number): boolean {
  const start = utcSeconds(window.startUtc);
  const end = utcSeconds(window.endUtc);
  return end < start ? secondOfDay >= start || secondOfDay < end : secondOfDay >= start && secondOfDay < end;
}

/**
 * The schedule window of `price` in force at `at` (the first that contains its UTC time of day),
 * or null when the version's own rates apply. A version with a schedule cannot be priced without
 * an instant: that would silently pick one of its rates.
 */
export function windowAt(price: PriceVersion, at: number | undefined): TimeWindowRates | null {
  const schedule = price.schedule;
  if (!schedule || schedule.length === 0) return null;
  if (at === undefined || !Number.isFinite(at)) {
    throw new BudgetError(
      "invalid_input",
      `price version ${price.id} has time-of-day rates: the instant of the usage is required`,
      { priceVersionId: price.id },
    );
  }
  // Fractional seconds count: 16:29:59.5 is still before 16:30.
  const secondOfDay = (((at % (DAY_S * 1000)) + DAY_S * 1000) % (DAY_S * 1000)) / 1000;
  return schedule.find((w) => inWindow(w, secondOfDay)) ?? null;
}

/** `startUtc–endUtc UTC` of a window, as reports name it. */
export function windowLabel(window: Pick<TimeWindowRates, "startUtc" | "endUtc">): string {
  return `${window.startUtc}–${window.endUtc} UTC`;
}
