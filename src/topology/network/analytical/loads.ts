// Per-link loads for the analytical network model (model.ts): loading a packed plan's flows along their
// compiled routes, and the arena that keeps the loads of the phases in flight. The arena copies each started phase's
// links and loads into shared chunks instead of two typed arrays per phase (each with its own backing store: at
// ~130k phases per 4,096-device step, that allocation and its GC cost more than the costing itself).
import type { MessageCounter } from '../message-latency.ts';
import { InputError } from '../../../engine/index.ts';
import type { TimeNs } from '../../../engine/index.ts';
import type { PackedPlan, PackedRoutes } from '../types.ts';

/** A phase still carrying bytes: loads[offset + k] on link links[offset + k] (k < count), spread evenly over [startNs, endNs]. */
export interface PhaseInFlight {
  readonly startNs: TimeNs;
  readonly endNs: TimeNs;
  readonly links: Int32Array;
  readonly loads: Float64Array;
  readonly offset: number;
  readonly count: number;
}

const CHUNK = 1 << 16;

/** Append-only chunks of (link, load) pairs; a chunk is freed by the GC once no phase in flight refers to it. */
export class PhaseLoadArena {
  private links = new Int32Array(CHUNK);
  private loads = new Float64Array(CHUNK);
  private used = 0;

  /** A phase over [startNs, endNs] holding links touched[0 … count) with their loads read from `load`. */
  keep(startNs: TimeNs, endNs: TimeNs, touched: Int32Array, count: number, load: Float64Array): PhaseInFlight {
    if (this.used + count > this.links.length) {
      const size = Math.max(CHUNK, count);
      this.links = new Int32Array(size);
      this.loads = new Float64Array(size);
      this.used = 0;
    }
    const { links, loads } = this;
    const offset = this.used;
    for (let k = 0; k < count; k++) {
      const id = touched[k]!;
      links[offset + k] = id;
      loads[offset + k] = load[id]!;
    }
    this.used += count;
    return { startNs, endNs, links, loads, offset, count };
  }
}

/** Adds `fraction` × each of the phase's loads to `into` (× 1 is exact: the whole load). */
export function addPhaseLoads(phase: PhaseInFlight, into: Float64Array, fraction = 1): void {
  const { links, loads, offset, count } = phase;
  for (let k = offset; k < offset + count; k++) {
    const id = links[k]!;
    into[id] = into[id]! + loads[k]! * fraction;
  }
}

export function checkPackedBytes(plan: PackedPlan, f: number, where: string): void {
  const bytes = plan.bytes[f]!;
  if (!(bytes >= 0 && bytes < Infinity)) throw new InputError(`${where}: flow ${f} (${plan.src[f]}→${plan.dst[f]}) has bytes ${String(bytes)}; expected a finite number ≥ 0`);
}

/** Set by loadRoutedFlows: the longest path latency among its active flows; −1 when none carried bytes. */
export const routedFlows = { longestNs: -1 };

/**
 * Loads flows [from, to) of a packed plan along its compiled routes onto `load` (the links and order a pair lookup
 * gives), appending each newly loaded link to `touched`; returns the new touched count. A bad flow throws naming
 * `transfer "<label>"` (the string is built only then).
 */
export function loadRoutedFlows(
  plan: PackedPlan, routes: PackedRoutes, from: number, to: number, load: Float64Array, touched: Int32Array, count: number, label: string, messages: MessageCounter,
): number {
  const { src, dst, bytes: flowBytes, streamed } = plan;
  const { start, links, latency } = routes;
  let longest = -1;
  for (let f = from; f < to; f++) {
    const bytes = flowBytes[f]!;
    if (!(bytes >= 0 && bytes < Infinity)) checkPackedBytes(plan, f, `transfer "${label}"`);
    if (!(bytes > 0) || src[f] === dst[f]) continue;
    if (streamed?.[f] !== 1) messages.add(src[f]!);
    const end = start[f + 1]!;
    for (let k = start[f]!; k < end; k++) {
      const id = links[k]!;
      const before = load[id]!;
      if (before === 0) touched[count++] = id;
      load[id] = before + bytes;
    }
    longest = Math.max(longest, latency[f]!);
  }
  routedFlows.longestNs = longest;
  return count;
}
