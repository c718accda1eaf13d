// Simulated time: one unit everywhere, an integer number of nanoseconds held in a JS number.
// Exact up to Number.MAX_SAFE_INTEGER ns (2^53 ns, about 104 days). Convert only at the edges.

/** Simulated time or duration in integer nanoseconds. */
export type TimeNs = number;

export const NS_PER_SECOND = 1e9;

/** Largest representable simulated time: 2^53 - 1 ns. */
export const MAX_TIME_NS: TimeNs = Number.MAX_SAFE_INTEGER;

/** Converts seconds to integer nanoseconds (rounded to the nearest ns). Rejects NaN, negative and non-finite input. */
export function secondsToNs(seconds: number): TimeNs {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`secondsToNs: expected a finite, non-negative number of seconds, got ${String(seconds)}`);
  }
  const ns = Math.round(seconds * NS_PER_SECOND);
  if (ns > MAX_TIME_NS) {
    throw new RangeError(`secondsToNs: ${seconds} s is beyond the largest exact time (${MAX_TIME_NS} ns, about 104 days)`);
  }
  return ns;
}

/** Converts integer nanoseconds to (float) seconds, for reports. */
export function nsToSeconds(time: TimeNs): number {
  return time / NS_PER_SECOND;
}

/** True when `time` is a valid simulated time or delay: an integer in [0, 2^53). */
export function isValidTime(time: unknown): time is TimeNs {
  return typeof time === 'number' && Number.isSafeInteger(time) && time >= 0;
}

/**
 * Throws a RangeError naming `what` unless `time` is an integer number of nanoseconds in [0, 2^53).
 * Fractional values are refused rather than rounded: convert with secondsToNs() or Math.round() at the edge.
 */
export function assertTime(time: number, what: string): asserts time is TimeNs {
  if (isValidTime(time)) return;
  let reason: string;
  if (typeof time !== 'number') reason = `is a ${typeof time}, not a number`;
  else if (Number.isNaN(time)) reason = 'is NaN';
  else if (!Number.isFinite(time)) reason = 'is not finite';
  else if (time < 0) reason = 'is negative';
  else if (!Number.isInteger(time)) reason = 'is not an integer number of nanoseconds (round it, e.g. with secondsToNs)';
  else reason = `exceeds the largest exact time ${MAX_TIME_NS} ns`;
  throw new RangeError(`${what} must be an integer number of nanoseconds >= 0, but ${String(time)} ${reason}`);
}

/** Formats a time for messages, e.g. "t=1200 ns". */
export function formatTime(time: TimeNs): string {
  return `t=${time} ns`;
}

/**
 * Seconds → integer ns rounded up, forgiving the last-bit error of a float division (so 1e6 B / 25e9 B/s
 * is 40 000 ns, not 40 001). Monotone non-decreasing in its argument. For network models' transfer times.
 */
export function ceilSecondsToNs(seconds: number): TimeNs {
  return Math.ceil(seconds * 1e9 * (1 - 1e-12));
}
