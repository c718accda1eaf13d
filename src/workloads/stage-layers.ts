// How a model's layers are split over pipeline stages and their virtual stages (model chunks). By default every
// stage gets an equal share; Megatron-LM's --decoder-first-pipeline-num-layers and --decoder-last-pipeline-num-layers
// (here `firstStageLayers`, `lastStageLayers`) fix the first and last stages' counts so that the stages holding the
// embedding and the LM head can be lighter. Layers that do not split evenly go one each to the first stages among
// those not fixed, and a stage's layers to its first virtual stages. Chunk c = v·pp + s (virtual stage v of stage s)
// holds consecutive layers, in chunk order, as Megatron's interleaved assignment does.

import type { ScheduleProblem } from './pipeline-schedules/schedule-types.ts';

/** Where each model chunk runs, and which chunk each (stage, virtual stage) runs: the schedule's placement. */
export interface ChunkPlacement {
  /** chunkIndex[s · vpp + v]: the chunk virtual stage v of stage s runs. */
  chunkIndex: number[];
  /** The stage and virtual stage of chunk c. */
  chunkStage: number[];
  chunkVirtual: number[];
}

/** The placement of `chunkOf` (a schedule's) over pp stages of vpp chunks each. */
export function chunkPlacement(pp: number, vpp: number, chunkOf: (stage: number, virtualStage: number, pp: number, vpp: number) => number): ChunkPlacement {
  const chunkIndex: number[] = [];
  const chunkStage: number[] = new Array<number>(pp * vpp).fill(0);
  const chunkVirtual: number[] = new Array<number>(pp * vpp).fill(0);
  for (let s = 0; s < pp; s++) {
    for (let v = 0; v < vpp; v++) {
      const c = chunkOf(s, v, pp, vpp);
      chunkIndex.push(c);
      chunkStage[c] = s;
      chunkVirtual[c] = v;
    }
  }
  return { chunkIndex, chunkStage, chunkVirtual };
}

export interface StageLayerInput {
  pp: number;
  vpp: number;
  firstStageLayers?: number | undefined;
  lastStageLayers?: number | undefined;
}

/** Layers per pipeline stage, or the problem with the requested split. */
export function stageLayerCounts(p: StageLayerInput, layers: number): number[] | ScheduleProblem {
  const fixed: (number | undefined)[] = Array.from({ length: p.pp }, () => undefined);
  if (p.firstStageLayers !== undefined || p.lastStageLayers !== undefined) {
    if (p.pp < 2) return { field: p.firstStageLayers !== undefined ? 'firstStageLayers' : 'lastStageLayers', message: 'sets one stage of several: it needs pp ≥ 2' };
    fixed[0] = p.firstStageLayers;
    fixed[p.pp - 1] = p.lastStageLayers;
  }
  for (const [field, n] of [['firstStageLayers', p.firstStageLayers], ['lastStageLayers', p.lastStageLayers]] as const) {
    if (n !== undefined && n < p.vpp) return { field, message: `${n} layers cannot fill the stage's ${p.vpp} model chunks (vpp): give at least ${p.vpp}` };
  }
  const free = fixed.flatMap((n, s) => (n === undefined ? [s] : []));
  const rest = layers - fixed.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  if (free.length === 0 && rest !== 0) return { field: 'lastStageLayers', message: `firstStageLayers + lastStageLayers must equal the model's ${layers} layers when pp = 2 (got ${layers - rest})` };
  if (rest < free.length * p.vpp) {
    const field = p.firstStageLayers !== undefined || p.lastStageLayers !== undefined ? 'firstStageLayers' : p.vpp > 1 ? 'vpp' : 'pp';
    return { field, message: `${layers} layers leave ${rest} for ${free.length} stage(s) of ${p.vpp} model chunk(s): every chunk needs at least one layer` };
  }
  const counts = fixed.map((n) => n ?? 0);
  free.forEach((s, i) => { counts[s] = Math.floor(rest / free.length) + (i < rest % free.length ? 1 : 0); });
  return counts;
}

/**
 * The first layer of every chunk, in chunk order, and one more entry: the layer count (a prefix sum). Chunk c sits on
 * stage chunkStage[c] as its virtual stage chunkVirtual[c] (default: Megatron's c mod pp and ⌊c / pp⌋).
 */
export function chunkStarts(stageCounts: readonly number[], vpp: number, placement?: ChunkPlacement): number[] {
  const pp = stageCounts.length;
  const starts = [0];
  for (let c = 0; c < pp * vpp; c++) {
    const s = placement ? placement.chunkStage[c]! : c % pp;
    const v = placement ? placement.chunkVirtual[c]! : Math.floor(c / pp);
    const n = stageCounts[s]!;
    starts.push(starts[c]! + Math.floor(n / vpp) + (v < n % vpp ? 1 : 0));
  }
  return starts;
}
