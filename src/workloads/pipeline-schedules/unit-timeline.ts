// A unit-level timing model of a pipeline schedule, independent of the step program and the network: every stage
// runs its unit list in order, each unit as soon as the stage is free and its inputs exist, with fixed per-unit
// times. It is how the tests hold a schedule to its paper's bubble formula; the real simulator prices the same units
// from kernels and links.
//
// Dependencies, by model chunk (entry.chunkOf), wherever the chunk runs: the forward of chunk c of micro-batch m
// needs the forward of chunk c − 1 of m; the backward of chunk c needs its own forward and the backward of chunk
// c + 1 (the last chunk's backward starts from its own forward: the loss); a weight pass needs its own backward. An
// input made on another stage arrives p2pLatency later. An overlapped pair (overlapWithNext) starts once both
// units' inputs are ready and both end F&B later. A B followed at once by its own W (alone or as the backward of a
// pair) is a whole backward, as in the DualPipe reference, which runs one autograd pass for both: the W runs right
// after and everything in the group is delivered when it ends. A B whose W was held back (weightHeldBack) delivers its
// input gradient when B ends, even when its W comes next, as the reference sends before it runs the held-back W.
//
// Times: F a forward, B the input-gradient half of a backward and W its weight-gradient half, so a backward that
// the schedule does not split costs B + W (the papers' "B" is this whole backward, B + W). F&B, the overlapped pair
// of a forward and a B, defaults to F + B (nothing hidden). The bubble is the papers' measure: the makespan less the
// busiest stage's busy time (ZB's cost minus the per-stage work; for schedules whose stages all do the same work,
// every stage's idle time).
import type { PipelineScheduleEntry, PipelineUnit } from './schedule-types.ts';

export interface UnitTimes {
  F: number;
  /** The input-gradient half of a backward (a whole backward is B + W). */
  B: number;
  /** The weight-gradient half of a backward. */
  W: number;
  /** An overlapped (forward, B) pair; F + B when absent. */
  FandB?: number;
}

export interface UnitTimeline {
  /** Per stage: time spent running units (an overlapped pair counts once, F&B). */
  busy: number[];
  /** Per stage: makespan − busy. */
  idle: number[];
  /** When the last unit of any stage ends (the step starts at 0). */
  makespan: number;
  /** makespan − max(busy). */
  bubble: number;
  /** Per stage, per unit: [start, end]. */
  spans: [number, number][][];
}

interface Done { end: number; stage: number }

const keyOf = (pass: PipelineUnit['pass'], microBatch: number, chunk: number): string => `${pass} mb${microBatch} chunk${chunk}`;

/** The unit's inputs, as keys of units that must have ended. */
function inputsOf(u: PipelineUnit, chunk: number, lastChunk: number): string[] {
  if (u.pass === 'forward') return chunk > 0 ? [keyOf('forward', u.microBatch, chunk - 1)] : [];
  if (u.pass === 'weight') return [keyOf('backward', u.microBatch, chunk)];
  const own = keyOf('forward', u.microBatch, chunk);
  return chunk < lastChunk ? [own, keyOf('backward', u.microBatch, chunk + 1)] : [own];
}

class TimelineRun {
  readonly done = new Map<string, Done>();
  constructor(
    private readonly entry: PipelineScheduleEntry,
    private readonly pp: number,
    private readonly vpp: number,
    private readonly latency: number,
  ) {}

  chunk(stage: number, u: PipelineUnit): number {
    return this.entry.chunkOf(stage, u.virtualStage, this.pp, this.vpp);
  }

  /** When the unit's inputs are all on `stage`, or the first missing input's key. */
  ready(stage: number, u: PipelineUnit): number | string {
    let at = 0;
    for (const key of inputsOf(u, this.chunk(stage, u), this.entry.modelChunks(this.pp, this.vpp) - 1)) {
      const d = this.done.get(key);
      if (!d) return key;
      at = Math.max(at, d.end + (d.stage === stage ? 0 : this.latency));
    }
    return at;
  }

  finish(stage: number, u: PipelineUnit, end: number): void {
    const key = keyOf(u.pass, u.microBatch, this.chunk(stage, u));
    if (this.done.has(key)) throw new Error(`unit timeline: ${key} runs twice (again on stage ${stage})`);
    this.done.set(key, { end, stage });
  }
}

function unitTime(u: PipelineUnit, t: UnitTimes, split: boolean): number {
  if (u.pass === 'forward') return t.F;
  if (u.pass === 'weight') return t.W;
  return split ? t.B : t.B + t.W;
}

/**
 * Runs every stage's units of `entry` for one step of `microBatches` micro-batches on pp stages of vpp chunks, with
 * fixed unit times. Throws when a unit can never start (a deadlock), naming each stuck stage's next unit and the
 * input it waits for.
 */
export function evaluateUnitTimeline(entry: PipelineScheduleEntry, pp: number, vpp: number, microBatches: number, times: UnitTimes, p2pLatency = 0): UnitTimeline {
  const lists = Array.from({ length: pp }, (_, s) => entry.units(s, pp, vpp, microBatches));
  const run = new TimelineRun(entry, pp, vpp, p2pLatency);
  const next = new Array<number>(pp).fill(0);
  const free = new Array<number>(pp).fill(0);
  const busy = new Array<number>(pp).fill(0);
  const spans: [number, number][][] = lists.map(() => []);
  const pairTime = times.FandB ?? times.F + times.B;
  let left = lists.reduce((n, l) => n + l.length, 0);
  while (left > 0) {
    let progressed = false;
    for (let s = 0; s < pp; s++) {
      const list = lists[s]!;
      while (next[s]! < list.length) {
        const group = unitGroup(list, next[s]!, s);
        // A fused W needs only its own B, in the group.
        const readies = group.filter((g) => g.pass !== 'weight').map((g) => run.ready(s, g));
        if (readies.some((r) => typeof r === 'string')) break;
        const start = Math.max(free[s]!, ...(readies as number[]));
        const u = group[0]!;
        const fused = group.length > 1 && group.at(-1)!.pass === 'weight' ? times.W : 0;
        const end = start + fused + (u.overlapWithNext ? pairTime : unitTime(u, times, entry.splitsWeightGradients));
        for (const g of group) { run.finish(s, g, end); spans[s]!.push([start, end]); }
        free[s] = end;
        busy[s]! += end - start;
        next[s]! += group.length;
        left -= group.length;
        progressed = true;
      }
    }
    if (!progressed) throw new Error(`unit timeline: deadlock in ${entry.name} (pp ${pp}, vpp ${vpp}, ${microBatches} micro-batches): ${stuckUnits(lists, next, run)}`);
  }
  const makespan = Math.max(...free);
  return { busy, idle: busy.map((b) => makespan - b), makespan, bubble: makespan - Math.max(...busy), spans };
}

/**
 * The units starting at `i` that run as one: an overlapped pair, and a B's own W when it comes right after the B (or
 * after the pair holding it) and was not held back, which makes them one whole backward whose results all leave when
 * the W ends.
 */
function unitGroup(list: readonly PipelineUnit[], i: number, stage: number): PipelineUnit[] {
  const u = list[i]!;
  const group = [u];
  if (u.overlapWithNext) {
    const partner = list[i + 1];
    if (!partner) throw new Error(`unit timeline: stage ${stage}'s last unit is marked overlapWithNext`);
    group.push(partner);
  }
  const last = group.at(-1)!;
  const after = list[i + group.length];
  if (last.pass === 'backward' && !last.weightHeldBack && after?.pass === 'weight' && after.microBatch === last.microBatch && after.virtualStage === last.virtualStage) group.push(after);
  return group;
}

function stuckUnits(lists: PipelineUnit[][], next: number[], run: TimelineRun): string {
  const parts: string[] = [];
  lists.forEach((list, s) => {
    const u = list[next[s]!];
    if (!u) return;
    const waits = unitGroup(list, next[s]!, s).filter((g) => g.pass !== 'weight' || g === u).map((g) => run.ready(s, g)).find((r) => typeof r === 'string');
    parts.push(`stage ${s} waits at ${u.pass} mb${u.microBatch} v${u.virtualStage} for ${String(waits)}`);
  });
  return parts.join('; ');
}

/**
 * Per stage unit list: the most (micro-batch, chunk) activations held at once, counting a forward until its backward
 * (B) has run, or, with `untilWeight`, until its weight pass has (W still reads the stored activations).
 */
export function peakInFlight(units: readonly PipelineUnit[], untilWeight = false): number {
  let live = 0;
  let peak = 0;
  const release = untilWeight && units.some((u) => u.pass === 'weight') ? 'weight' : 'backward';
  for (const u of units) {
    if (u.pass === 'forward') peak = Math.max(peak, ++live);
    else if (u.pass === release) live--;
  }
  return peak;
}
