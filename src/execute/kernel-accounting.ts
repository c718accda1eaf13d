// Kernel time per (device, category) and per (device, pass), summed while a step program is compiled. A kernel
// sequence adds each of its kernels; to keep that cheap at 4,096 devices, a sequence's time is summed per category
// and per pass once, and a sequence that recurs with the same sums (a stage's devices share its sequence objects,
// and a layer's kernels take the same time in every layer and micro-batch) is counted per device and multiplied out
// at the end. The first use of each category on a device is still recorded in task order, so records() lists a
// device's keys in the order it first ran them. Kernel times are whole nanoseconds, so the sums do not depend on
// the grouping.
import type { KernelLabel, KernelSequenceTask } from '../workloads/index.ts';
import { CategorySums } from './category-sums.ts';

/**
 * A labels array's kernels grouped by category and by pass: the distinct category (pass) numbers in order of first
 * appearance, and for each kernel the slot of its category (pass) among them.
 */
interface LabelGroups {
  categories: Int32Array;
  categorySlot: Int32Array;
  passes: Int32Array;
  passSlot: Int32Array;
  /** Whether some sequence of these groups was counted (else a new one's arrays need not be looked up). */
  counted: boolean;
}

/** A sequence's time summed by category and by pass (numbers in first-appearance order). */
interface SequenceSums {
  categories: Int32Array;
  categoryNs: Float64Array;
  passes: Int32Array;
  passNs: Float64Array;
}

export class KernelAccounting {
  readonly byCategory: CategorySums;
  readonly byPass: CategorySums;
  private readonly groups = new Map<readonly KernelLabel[], LabelGroups>();
  private lastKernels: readonly KernelLabel[] | undefined;
  private lastGroups: LabelGroups = { categories: new Int32Array(0), categorySlot: new Int32Array(0), passes: new Int32Array(0), passSlot: new Int32Array(0), counted: false };
  private lastTask: KernelSequenceTask | undefined;
  /** The last task's time per category slot and per pass slot (scratch), and its interned id once a second device met it (−1 before). */
  private categoryNs = new Float64Array(16);
  private passNs = new Float64Array(16);
  private lastId = -1;
  private readonly interned: SequenceSums[] = [];
  private readonly internedByGroups = new Map<LabelGroups, number[]>();
  /** Interned ids by a sequence's durations and labels arrays. */
  private readonly byArrays = new Map<readonly number[], Map<readonly KernelLabel[], number>>();
  /** One LabelGroups object per distinct grouping, whatever labels array it came from. */
  private readonly canonicalGroups = new Map<string, LabelGroups>();
  /** Times each device ran each interned sequence: [device · width + id]. */
  private counts: Float64Array;
  private width = 16;

  constructor(private readonly devices: number) {
    this.byCategory = new CategorySums(devices);
    this.byPass = new CategorySums(devices);
    this.counts = new Float64Array(devices * this.width);
  }

  addSequence(d: number, task: KernelSequenceTask): void {
    if (task !== this.lastTask) {
      this.lastTask = task;
      // Sequences sharing their labels and durations arrays (the same kernels in another layer or micro-batch) have
      // the sums already counted once.
      const g = this.groupsOf(task.kernels);
      this.lastId = g.counted ? (this.byArrays.get(task.durationsNs)?.get(task.kernels) ?? -1) : -1;
      if (this.lastId < 0) {
        // New: sum it and add it directly (a per-rank sequence is met once, or by its TP ranks only).
        this.sum(task, g);
        for (let j = 0; j < g.categories.length; j++) this.byCategory.addAt(d, g.categories[j]!, this.categoryNs[j]!);
        for (let j = 0; j < g.passes.length; j++) this.byPass.addAt(d, g.passes[j]!, this.passNs[j]!);
        return;
      }
    } else if (this.lastId < 0) {
      // A second device runs it: count it from now on.
      this.lastGroups.counted = true;
      this.lastId = this.intern(this.lastGroups);
      let byKernels = this.byArrays.get(task.durationsNs);
      if (byKernels === undefined) this.byArrays.set(task.durationsNs, (byKernels = new Map()));
      byKernels.set(task.kernels, this.lastId);
    }
    const at = d * this.width + this.lastId;
    if (this.counts[at] === 0) {
      // First time on this device: record its categories' and passes' first use now, in task order.
      const sums = this.interned[this.lastId] as SequenceSums;
      for (const c of sums.categories) this.byCategory.addAt(d, c, 0);
      for (const p of sums.passes) this.byPass.addAt(d, p, 0);
    }
    this.counts[at] = this.counts[at]! + 1;
  }

  /** The task's time per category slot and per pass slot of its groups, into the scratch sums. */
  private sum(task: KernelSequenceTask, groups: LabelGroups): void {
    const categoryNs = this.categoryNs;
    const passNs = this.passNs;
    categoryNs.fill(0, 0, groups.categories.length);
    passNs.fill(0, 0, groups.passes.length);
    const durations = task.durationsNs;
    for (let i = 0; i < durations.length; i++) {
      const ns = durations[i]!;
      const c = groups.categorySlot[i]!;
      const p = groups.passSlot[i]!;
      categoryNs[c] = categoryNs[c]! + ns;
      passNs[p] = passNs[p]! + ns;
    }
  }

  /** Adds the counted sequences' time (call once, after the last addSequence). */
  finish(): void {
    for (let d = 0; d < this.devices; d++) {
      for (let id = 0; id < this.interned.length; id++) {
        const times = this.counts[d * this.width + id]!;
        if (times === 0) continue;
        const sums = this.interned[id] as SequenceSums;
        sums.categories.forEach((c, j) => this.byCategory.addAt(d, c, times * sums.categoryNs[j]!));
        sums.passes.forEach((p, j) => this.byPass.addAt(d, p, times * sums.passNs[j]!));
      }
    }
  }

  /**
   * The id of the last task's sums, interned by content: among the sums already seen with the same groups (`g`,
   * itself shared by every labels array of the same categories and passes), one equal to them, else a new one.
   */
  private intern(g: LabelGroups): number {
    let candidates = this.internedByGroups.get(g);
    if (candidates === undefined) this.internedByGroups.set(g, (candidates = []));
    const categories = g.categories.length;
    const passes = g.passes.length;
    for (const id of candidates) {
      const known = this.interned[id] as SequenceSums;
      let same = true;
      for (let j = 0; j < categories && same; j++) same = known.categoryNs[j] === this.categoryNs[j];
      for (let j = 0; j < passes && same; j++) same = known.passNs[j] === this.passNs[j];
      if (same) return id;
    }
    const id = this.interned.length;
    this.interned.push({ categories: g.categories, categoryNs: this.categoryNs.slice(0, categories), passes: g.passes, passNs: this.passNs.slice(0, passes) });
    candidates.push(id);
    if (id === this.width) this.widen();
    return id;
  }

  private widen(): void {
    const width = this.width * 2;
    const counts = new Float64Array(this.devices * width);
    for (let d = 0; d < this.devices; d++) counts.set(this.counts.subarray(d * this.width, (d + 1) * this.width), d * width);
    this.width = width;
    this.counts = counts;
  }

  private groupsOf(kernels: readonly KernelLabel[]): LabelGroups {
    if (kernels !== this.lastKernels) {
      this.lastKernels = kernels;
      let known = this.groups.get(kernels);
      if (known === undefined) {
        const category = groupNumbers(kernels.map((k) => this.byCategory.indexOf(k.category)));
        const pass = groupNumbers(kernels.map((k) => this.byPass.indexOf(k.pass)));
        const key = `${category.keys.join(',')}|${category.slot.join(',')}|${pass.keys.join(',')}|${pass.slot.join(',')}`;
        known = this.canonicalGroups.get(key);
        if (known === undefined) {
          known = { categories: category.keys, categorySlot: category.slot, passes: pass.keys, passSlot: pass.slot, counted: false };
          this.canonicalGroups.set(key, known);
        }
        this.groups.set(kernels, known);
        if (known.categories.length > this.categoryNs.length) this.categoryNs = new Float64Array(known.categories.length);
        if (known.passes.length > this.passNs.length) this.passNs = new Float64Array(known.passes.length);
      }
      this.lastGroups = known;
    }
    return this.lastGroups;
  }
}

/** Distinct numbers in order of first appearance, and each element's slot among them. */
function groupNumbers(numbers: readonly number[]): { keys: Int32Array; slot: Int32Array } {
  const keys: number[] = [];
  const slot = Int32Array.from(numbers, (n) => {
    const j = keys.indexOf(n);
    if (j >= 0) return j;
    keys.push(n);
    return keys.length - 1;
  });
  return { keys: Int32Array.from(keys), slot };
}
