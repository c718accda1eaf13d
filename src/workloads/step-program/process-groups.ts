// The process groups of one pipeline stage, as lists of devices in parallelism.ts's order: the stage's devices, each
// DP rank's TP group, each TP rank's EP groups (what a routed all-to-all joins), and the groups of DP ranks that hold
// the same parameters, over which gradients are reduced and ZeRO's updated weights gathered: per TP rank the DP
// group (dense parameters), per (TP rank, EP rank) the expert-DP group (the ranks holding the same experts).
import type { Layout } from '../parallelism.ts';
import { deviceOf, epGroupDpRanks } from '../parallelism.ts';

/** A collective's group of devices and its nccl-tests size in bytes. */
export interface SizedGroup {
  group: number[];
  bytes: number;
  /** The group spans this stage and another (DualPipe's two parameter copies): both stages join one collective. */
  acrossStages?: true;
}

export class StageGroups {
  /** The stage's devices, DP rank-major (index dpRank · tp + tpRank). */
  readonly devices: number[];
  /** Per TP rank, per EP group: its DP ranks and devices, shared by all its all-to-alls (the executor compiles each group's plan once, found by the array). */
  readonly epGroups: { ranks: number[]; group: number[] }[][];

  constructor(
    private readonly layout: Layout,
    private readonly stage: number,
  ) {
    const { dp, tp } = layout;
    this.devices = Array.from({ length: dp * tp }, (_, i) => deviceOf(layout, stage, Math.floor(i / tp), i % tp));
    this.epGroups = Array.from({ length: tp }, (_, t) => Array.from({ length: layout.epGroups }, (__, g) => {
      const ranks = epGroupDpRanks(layout, g);
      return { ranks, group: ranks.map((d) => deviceOf(layout, stage, d, t)) };
    }));
  }

  /** Each DP rank's TP group with its bytes. */
  tp(bytes: (dpRank: number) => number): SizedGroup[] {
    const { dp, tp } = this.layout;
    return Array.from({ length: dp }, (_, d) => ({ group: this.devices.slice(d * tp, (d + 1) * tp), bytes: bytes(d) }));
  }

  /** Each (DP rank, expert slice)'s expert-TP group (its TP ranks u·expertTp …; the whole TP group when expertTp = tp) with its bytes. */
  expertTp(bytes: (dpRank: number, slice: number) => number): SizedGroup[] {
    const { dp, tp, expertTp: k, expertSlices } = this.layout;
    return Array.from({ length: dp * expertSlices }, (_, i) => {
      const d = Math.floor(i / expertSlices);
      const u = i % expertSlices;
      return { group: this.devices.slice(d * tp + u * k, d * tp + (u + 1) * k), bytes: bytes(d, u) };
    });
  }

  /**
   * The DP group of each TP rank: the ranks holding the same dense parameters; with `twin` (the stage holding the
   * other copy of a DualPipe chunk) those of both stages, the lower stage's first.
   */
  dp(bytes: number, twin?: number): SizedGroup[] {
    return this.replicas(1, bytes, twin);
  }

  /** The expert-DP group of each (TP rank, EP rank): the same EP rank of every EP group, which holds the same experts (with `twin`: as dp). */
  expertDp(bytes: number, twin?: number): SizedGroup[] {
    return this.replicas(this.layout.ep, bytes, twin);
  }

  /**
   * Groups of DP ranks holding the same parameters when each run of `shards` consecutive DP ranks splits them: one
   * group per (TP rank, shard), TP rank-major, of DP ranks shard, shard + shards, shard + 2·shards, … (on both stages with a twin).
   */
  private replicas(shards: number, bytes: number, twin?: number): SizedGroup[] {
    const { dp, tp } = this.layout;
    const stages = twin === undefined || twin === this.stage ? [this.stage] : [Math.min(this.stage, twin), Math.max(this.stage, twin)];
    return Array.from({ length: tp * shards }, (_, i) => ({
      group: stages.flatMap((s) => Array.from({ length: dp / shards }, (__, g) => deviceOf(this.layout, s, g * shards + (i % shards), Math.floor(i / shards)))),
      bytes,
      ...(stages.length > 1 ? { acrossStages: true as const } : {}),
    }));
  }
}
