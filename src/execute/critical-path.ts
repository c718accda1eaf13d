// The step's critical path: every finished compute kernel and collective is a segment that names the segment it
// had to wait for (a kernel: the device's previous segment; a collective or a point-to-point transfer: the last
// segment of the device whose arrival started it). Walking back from the device that finishes last gives the
// chain of work that set the step time, split by kind; a device's own waiting is never on it.
// Storage is columnar typed arrays with interned labels (about 22 bytes a segment): a 6,144-device step records
// tens of millions of kernels, which as JS arrays of numbers and strings took about 2 GB and half the run's time.
// Consecutive kernels of one label in one run of compute are one segment (`addOrExtend`): nothing waits on a kernel
// in the middle of a run, so the walk's times are the same as with one segment per kernel.

/** Segment labels: `compute:<category>:<pass>` or `comm:<category>`. */
export class CriticalPathRecorder {
  private startNs = new Float64Array(1 << 12);
  private endNs = new Float64Array(1 << 12);
  private prev = new Int32Array(1 << 12);
  private label = new Uint16Array(1 << 12);
  private count = 0;
  private readonly labels: string[] = [];
  private readonly labelIds = new Map<string, number>();
  /** Each device's latest segment on its own timeline (−1 before its first). */
  readonly lastOf: Int32Array;

  constructor(devices: number) {
    this.lastOf = new Int32Array(devices).fill(-1);
  }

  /** Segments recorded so far (the index the next one gets). */
  get size(): number {
    return this.count;
  }

  /** The id of a label (ids are dense from 0, in order of first use). */
  labelId(label: string): number {
    let id = this.labelIds.get(label);
    if (id === undefined) {
      id = this.labels.length;
      if (id > 0xffff) throw new Error('critical path: more than 65,536 distinct segment labels');
      this.labels.push(label);
      this.labelIds.set(label, id);
    }
    return id;
  }

  /** Record a segment and return its index. */
  add(startNs: number, endNs: number, label: string | number, prev: number): number {
    const s = this.count;
    if (s === this.startNs.length) this.grow();
    this.startNs[s] = startNs;
    this.endNs[s] = endNs;
    this.prev[s] = prev;
    this.label[s] = typeof label === 'number' ? label : this.labelId(label);
    this.count = s + 1;
    return s;
  }

  /**
   * Record a kernel that follows segment `prev` on its device: extend `prev` when it has the same label, ends where
   * this one starts and was recorded at index `mergeFrom` or later (in the same run of compute); else add a segment.
   */
  addOrExtend(startNs: number, endNs: number, label: number, prev: number, mergeFrom: number): number {
    if (prev >= mergeFrom && prev >= 0 && this.label[prev] === label && this.endNs[prev] === startNs) {
      this.endNs[prev] = endNs;
      return prev;
    }
    return this.add(startNs, endNs, label, prev);
  }

  private grow(): void {
    const n = this.startNs.length * 2;
    const copy = <T extends Float64Array | Int32Array | Uint16Array>(a: T, b: T): T => { b.set(a); return b; };
    this.startNs = copy(this.startNs, new Float64Array(n));
    this.endNs = copy(this.endNs, new Float64Array(n));
    this.prev = copy(this.prev, new Int32Array(n));
    this.label = copy(this.label, new Uint16Array(n));
  }

  /** Walk back from `segment`: time by label, the path's length and any gaps between consecutive segments. */
  walk(segment: number): CriticalPath {
    const byLabel = new Float64Array(this.labels.length);
    const seen = new Uint8Array(this.labels.length);
    const order: number[] = []; // labels in the order the walk meets them (the keys' order in the result)
    let gapNs = 0;
    let steps = 0;
    let end = segment >= 0 ? this.endNs[segment]! : 0;
    for (let s = segment; s >= 0; s = this.prev[s]!) {
      const start = this.startNs[s]!;
      const stop = this.endNs[s]!;
      gapNs += end - stop;
      end = start;
      const id = this.label[s]!;
      if (seen[id] === 0) { seen[id] = 1; order.push(id); }
      byLabel[id] = byLabel[id]! + (stop - start);
      steps++;
    }
    gapNs += end; // time before the first segment
    const compute: Record<string, number> = {};
    const computeByPass: Record<string, number> = {};
    const comm: Record<string, number> = {};
    for (const id of order) {
      const ns = byLabel[id]!;
      const [kind, category, pass] = (this.labels[id] as string).split(':') as [string, string, string | undefined];
      const into = kind === 'compute' ? compute : comm;
      into[category] = (into[category] ?? 0) + ns;
      if (pass !== undefined) computeByPass[pass] = (computeByPass[pass] ?? 0) + ns;
    }
    return { computeNs: compute, computeByPassNs: computeByPass, commNs: comm, gapNs, segments: steps };
  }
}

export interface CriticalPath {
  /** Kernel time on the path by category. */
  computeNs: Record<string, number>;
  /** The same by pass. */
  computeByPassNs: Record<string, number>;
  commNs: Record<string, number>;
  /** Time on the path covered by no segment (0 when every dependency is recorded). */
  gapNs: number;
  /** Segments on the path (consecutive kernels of one label in one run of compute count once). */
  segments: number;
}
