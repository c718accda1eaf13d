// Time per (device, category) in typed arrays, for the executor's accounting (kernel time by compute category,
// collective time by comm category): categories are numbered as first seen, and records() gives one record per device
// with its keys in the device's order of first use. The additions are those of summing into the record directly, in
// the same order, so the sums are the same bit for bit.

export class CategorySums {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private width = 16;
  private sums: Float64Array;
  /** 1 + the rank of the category's first use on the device, 0 before. */
  private firstUse: Int32Array;
  private readonly used: Int32Array;
  private lastName: string | undefined;
  private lastIndex = -1;

  constructor(private readonly devices: number) {
    this.sums = new Float64Array(devices * this.width);
    this.firstUse = new Int32Array(devices * this.width);
    this.used = new Int32Array(devices);
  }

  /** Adds `ns` to device d's time in `category` (the last category named is remembered: runs of one are cheap). */
  add(d: number, category: string, ns: number): void {
    if (category !== this.lastName) {
      this.lastName = category;
      this.lastIndex = this.indexOf(category);
    }
    this.addAt(d, this.lastIndex, ns);
  }

  /** Adds `ns` to device d's time in the category numbered `c` (indexOf's number). */
  addAt(d: number, c: number, ns: number): void {
    const at = d * this.width + c;
    if (this.firstUse[at] === 0) {
      const rank = this.used[d]! + 1;
      this.used[d] = rank;
      this.firstUse[at] = rank;
    }
    this.sums[at] = this.sums[at]! + ns;
  }

  /** One record per device: its categories' times, keys in its order of first use. */
  records(): Record<string, number>[] {
    return Array.from({ length: this.devices }, (_, d) => {
      const order: [number, number][] = [];
      for (let c = 0; c < this.names.length; c++) {
        const rank = this.firstUse[d * this.width + c]!;
        if (rank > 0) order.push([rank, c]);
      }
      order.sort((a, b) => a[0] - b[0]);
      const record: Record<string, number> = {};
      for (const [, c] of order) record[this.names[c] as string] = this.sums[d * this.width + c]!;
      return record;
    });
  }

  /** The category's number (numbered as first seen). */
  indexOf(category: string): number {
    const known = this.index.get(category);
    if (known !== undefined) return known;
    const c = this.names.length;
    if (c === this.width) this.widen();
    this.names.push(category);
    this.index.set(category, c);
    return c;
  }

  /** Doubles the categories per device (a program with more than the usual handful of kernel categories). */
  private widen(): void {
    const width = this.width * 2;
    const sums = new Float64Array(this.devices * width);
    const firstUse = new Int32Array(this.devices * width);
    for (let d = 0; d < this.devices; d++) {
      sums.set(this.sums.subarray(d * this.width, (d + 1) * this.width), d * width);
      firstUse.set(this.firstUse.subarray(d * this.width, (d + 1) * this.width), d * width);
    }
    this.width = width;
    this.sums = sums;
    this.firstUse = firstUse;
  }
}
