// Link activity over time, recorded by both network models: per link, piecewise-constant rate intervals
// { startNs, endNs, bytesPerSecond }. Times are ns as floats (the flow model changes rates at fractional
// instants; an interval's bytes are rate × duration exactly). Memory is bounded: only links that carry bytes
// get storage (a growable Float64Array of triples, 24 bytes an interval), consecutive equal-rate pieces are
// merged, idle gaps are not stored, and a recorder with `minIntervalNs` > 0 coalesces rate changes closer
// than that into one interval at the mean rate (bytes preserved), so a link has at most about
// recordedTime / minIntervalNs intervals.

export interface LinkRateInterval {
  readonly startNs: number;
  readonly endNs: number;
  readonly bytesPerSecond: number;
}

/** A snapshot of what every link carried, from time 0 to `endNs`. */
export interface LinkActivity {
  /** Links in the cluster: valid ids are 0..linkCount-1. */
  readonly linkCount: number;
  /** The time the record runs to (the simulator's clock when it was taken). */
  readonly endNs: number;
  /** Ids of the links with at least one interval, ascending. */
  readonly linkIds: readonly number[];
  /**
   * One link's intervals sorted by startNs; empty for a link that carried nothing. In the flow model they
   * are disjoint; in the analytical model concurrent phases may overlap, and overlapping rates add up.
   */
  intervals(linkId: number): LinkRateInterval[];
  /** Bytes the link's intervals account for (Σ rate × duration). */
  bytes(linkId: number): number;
}

class RecordedLinkActivity implements LinkActivity {
  readonly linkCount: number;
  readonly endNs: number;
  readonly linkIds: readonly number[];
  private readonly triples: ReadonlyMap<number, Float64Array>;

  constructor(linkCount: number, endNs: number, triples: ReadonlyMap<number, Float64Array>) {
    this.linkCount = linkCount;
    this.endNs = endNs;
    this.triples = triples;
    this.linkIds = Object.freeze([...triples.keys()].sort((a, b) => a - b));
  }

  intervals(linkId: number): LinkRateInterval[] {
    this.check(linkId);
    const data = this.triples.get(linkId);
    const result: LinkRateInterval[] = [];
    if (data === undefined) return result;
    for (let i = 0; i < data.length; i += 3) {
      result.push({ startNs: data[i]!, endNs: data[i + 1]!, bytesPerSecond: data[i + 2]! });
    }
    return result;
  }

  bytes(linkId: number): number {
    this.check(linkId);
    const data = this.triples.get(linkId);
    let total = 0;
    if (data === undefined) return total;
    for (let i = 0; i < data.length; i += 3) {
      total += data[i + 2]! * (data[i + 1]! - data[i]!) * 1e-9;
    }
    return total;
  }

  private check(linkId: number): void {
    if (!Number.isInteger(linkId) || linkId < 0 || linkId >= this.linkCount) {
      throw new RangeError(`link ${String(linkId)} does not exist (links are 0..${this.linkCount - 1})`);
    }
  }
}

export interface LinkActivityRecorderOptions {
  /** Rate changes closer together than this are coalesced into one mean-rate interval; default 0 (exact). */
  readonly minIntervalNs?: number;
}

/** Accumulates link intervals. The flow model calls setRate; the analytical model calls addInterval. */
export class LinkActivityRecorder {
  private readonly linkCount: number;
  private readonly minIntervalNs: number;
  private readonly stored: (Float64Array | undefined)[];
  private readonly used: Int32Array;
  // The open segment of each link (setRate mode): since when, bytes so far, current rate since lastChange.
  private readonly openStart: Float64Array;
  private readonly openBytes: Float64Array;
  private readonly openRate: Float64Array;
  private readonly lastChange: Float64Array;
  private readonly openMixed: Uint8Array;
  /** When the open segment last carried bytes (its end if it is idle now). */
  private readonly busyEnd: Float64Array;

  constructor(linkCount: number, options: LinkActivityRecorderOptions = {}) {
    const minIntervalNs = options.minIntervalNs ?? 0;
    if (!(Number.isFinite(minIntervalNs) && minIntervalNs >= 0)) {
      throw new RangeError(`minIntervalNs must be a finite number ≥ 0, got ${String(minIntervalNs)}`);
    }
    this.linkCount = linkCount;
    this.minIntervalNs = minIntervalNs;
    this.stored = new Array<Float64Array | undefined>(linkCount).fill(undefined);
    this.used = new Int32Array(linkCount);
    this.openStart = new Float64Array(linkCount);
    this.openBytes = new Float64Array(linkCount);
    this.openRate = new Float64Array(linkCount);
    this.lastChange = new Float64Array(linkCount);
    this.openMixed = new Uint8Array(linkCount);
    this.busyEnd = new Float64Array(linkCount);
  }

  /** Link `link` carries `bytesPerSecond` from `timeNs` on (times must not decrease per link). */
  setRate(link: number, timeNs: number, bytesPerSecond: number): void {
    const oldRate = this.openRate[link]!;
    if (bytesPerSecond === oldRate) return;
    const bytes = this.openBytes[link]! + oldRate * (timeNs - this.lastChange[link]!) * 1e-9;
    if (oldRate > 0) this.busyEnd[link] = timeNs;
    this.lastChange[link] = timeNs;
    this.openRate[link] = bytesPerSecond;
    const start = this.openStart[link]!;
    // Emit when the segment (idle tail included) spans minIntervalNs, so each interval uses up that much time.
    if (bytes > 0 && timeNs - start >= this.minIntervalNs && timeNs > start) {
      const end = this.busyEnd[link]!;
      this.append(link, start, end, this.openMixed[link] === 1 ? (bytes / (end - start)) * 1e9 : oldRate);
    } else if (bytes > 0) {
      this.openBytes[link] = bytes;
      this.openMixed[link] = 1;
      return;
    }
    this.openStart[link] = timeNs;
    this.openBytes[link] = 0;
    this.openMixed[link] = 0;
  }

  /** Adds a closed interval (analytical model); intervals may overlap earlier ones. */
  addInterval(link: number, startNs: number, endNs: number, bytesPerSecond: number): void {
    if (endNs > startNs && bytesPerSecond > 0) this.append(link, startNs, endNs, bytesPerSecond);
  }

  /** The activity from 0 to `nowNs`, with every open segment closed at `nowNs`. */
  snapshot(nowNs: number): LinkActivity {
    const triples = new Map<number, Float64Array>();
    for (let link = 0; link < this.linkCount; link++) {
      const data = this.stored[link];
      const used = this.used[link]!;
      const start = this.openStart[link]!;
      const rate = this.openRate[link]!;
      const bytes = this.openBytes[link]! + rate * (nowNs - this.lastChange[link]!) * 1e-9;
      const end = rate > 0 ? nowNs : this.busyEnd[link]!;
      const open = bytes > 0 && end > start;
      if (used === 0 && !open) continue;
      // Stored intervals may reach past now (an analytical phase still running): clip them to now.
      let kept = 0;
      while (kept < used && (data as Float64Array)[kept]! < nowNs) kept += 3;
      if (kept === 0 && !open) continue;
      const copy = new Float64Array(kept + (open ? 3 : 0));
      if (data !== undefined) copy.set(data.subarray(0, kept));
      for (let i = 1; i < kept; i += 3) copy[i] = Math.min(copy[i]!, nowNs);
      if (open) {
        copy[kept] = start;
        copy[kept + 1] = end;
        copy[kept + 2] = this.openMixed[link] === 1 ? (bytes / (end - start)) * 1e9 : rate;
      }
      triples.set(link, copy);
    }
    return new RecordedLinkActivity(this.linkCount, nowNs, triples);
  }

  private append(link: number, startNs: number, endNs: number, rate: number): void {
    let data = this.stored[link];
    const used = this.used[link]!;
    if (used > 0 && data !== undefined && data[used - 2] === startNs && data[used - 1] === rate) {
      data[used - 2] = endNs; // contiguous with the same rate: extend
      return;
    }
    if (data === undefined || data.length < used + 3) {
      const grown = new Float64Array(Math.max(24, (data?.length ?? 0) * 2));
      if (data !== undefined) grown.set(data);
      data = grown;
      this.stored[link] = data;
    }
    data[used] = startNs;
    data[used + 1] = endNs;
    data[used + 2] = rate;
    this.used[link] = used + 3;
  }
}

/** An activity record with no intervals (for models that were asked not to record). */
export function emptyLinkActivity(linkCount: number, endNs: number): LinkActivity {
  return new RecordedLinkActivity(linkCount, endNs, new Map());
}
