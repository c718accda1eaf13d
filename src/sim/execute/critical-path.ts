// The step's critical path: every finished compute kernel and collective is a segment that names the segment it
// had to wait for (a kernel: the device's previous segment; a collective or a point-to-point transfer: the last
// segment of the device whose arrival started it). Walking back from the device that finishes last gives the
// chain of work that set the step time, split by kind; a device's own waiting is never on it.

/** Segment labels: `compute:<category>:<pass>` or `comm:<category>`. */
export class CriticalPathRecorder {
  private readonly startNs: number[] = [];
  private readonly endNs: number[] = [];
  private readonly prev: number[] = [];
  private readonly label: string[] = [];
  /** Each device's latest segment on its own timeline (−1 before its first). */
  readonly lastOf: Int32Array;

  constructor(devices: number) {
    this.lastOf = new Int32Array(devices).fill(-1);
  }

  /** Record a segment and return its index. */
  add(startNs: number, endNs: number, label: string, prev: number): number {
    this.startNs.push(startNs);
    this.endNs.push(endNs);
    this.prev.push(prev);
    this.label.push(label);
    return this.startNs.length - 1;
  }

  /** Walk back from `segment`: time by label, the path's length and any gaps between consecutive segments. */
  walk(segment: number): CriticalPath {
    const compute: Record<string, number> = {};
    const computeByPass: Record<string, number> = {};
    const comm: Record<string, number> = {};
    let gapNs = 0;
    let steps = 0;
    let end = segment >= 0 ? (this.endNs[segment] as number) : 0;
    for (let s = segment; s >= 0; s = this.prev[s] as number) {
      const start = this.startNs[s] as number;
      const stop = this.endNs[s] as number;
      gapNs += end - stop;
      end = start;
      const [kind, category, pass] = (this.label[s] as string).split(':') as [string, string, string | undefined];
      const into = kind === 'compute' ? compute : comm;
      into[category] = (into[category] ?? 0) + (stop - start);
      if (pass !== undefined) computeByPass[pass] = (computeByPass[pass] ?? 0) + (stop - start);
      steps++;
    }
    gapNs += end; // time before the first segment
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
  segments: number;
}
