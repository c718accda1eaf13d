// Walking a stage's pipeline schedule: each unit runs one micro-batch's forward or backward through one model chunk
// of the stage, receiving its input from the previous chunk (or running the embedding) and sending its output to the
// next (or running the LM head), backwards the other way. Chunks exchange activations and gradients with eager
// point-to-point sends, created once per (pass, micro-batch, chunk boundary) by whichever side is built first; two
// chunks on one stage (DualPipeV's turn) hand over without one. With overlapGradReduce the unit completing a chunk's
// gradients (its last backward, or last weight unit) reduces each layer's as soon as they are complete. Weight units
// and overlapped pairs: see walkSchedule.
import { chunkExtraParams, layerParams } from '../param-sharding.ts';
import type { Layout } from '../parallelism.ts';
import { chunkLayers, deviceOf, slotEnds, twinStage } from '../parallelism.ts';
import type { PipelineUnit } from '../pipeline-schedules/registry.ts';
import { reduceGradients } from './gradients.ts';
import type { StageWork } from './layers.ts';
import { embeddingBackward, embeddingForward, layerBackward, layerForward, lmHeadBackward, lmHeadForward } from './layers.ts';
import type { Pass, ProgramParts } from './stage-builder.ts';
import { addSpec } from './stage-builder.ts';
import { PipelineTransferSpec } from './types.ts';
import type { GradientPart, StageBuilder } from './stage-builder.ts';
import { overlappedPair } from './overlapped-pair.ts';

/** The step's point-to-point transfers between model chunks: per (pass, micro-batch, from, to), an id per (DP, TP) rank. */
export class PipelineTransfers {
  private readonly byKey = new Map<string, Int32Array>();

  constructor(
    private readonly program: ProgramParts,
    private readonly layout: Layout,
    /** Bytes of one micro-batch's activations (or their gradients) on one TP rank. */
    private readonly bytes: number,
  ) {}

  /**
   * The stage's side of micro-batch mb's `dir` pass from chunk `from` to chunk `to`: nothing when both chunks sit on
   * the stage (DualPipeV's turn), else a send or a receive on each of its devices.
   */
  exchange(stage: StageBuilder, kind: 'send' | 'recv', dir: Pass, mb: number, from: number, to: number): void {
    if (this.layout.chunkStage[from] === this.layout.chunkStage[to]) return;
    stage.pointToPoint(kind, this.ids(dir, mb, from, to));
  }

  /** The transfers of micro-batch mb's `dir` pass from chunk `from` to chunk `to`, indexed dpRank · tp + tpRank. */
  ids(dir: Pass, mb: number, from: number, to: number): Int32Array {
    const key = `${dir}:${mb}:${from}:${to}`;
    let ids = this.byKey.get(key);
    if (!ids) {
      const { layout } = this;
      const { dp, tp } = layout;
      ids = new Int32Array(dp * tp);
      for (let d = 0; d < dp; d++) {
        for (let t = 0; t < tp; t++) {
          const src = deviceOf(layout, layout.chunkStage[from]!, d, t);
          const dst = deviceOf(layout, layout.chunkStage[to]!, d, t);
          ids[d * tp + t] = addSpec(this.program, new PipelineTransferSpec([src, dst], this.bytes, dir === 'forward' ? 'activations' : 'gradients', mb, from, to, d, t));
        }
      }
      this.byKey.set(key, ids);
    }
    return ids;
  }
}

/**
 * Appends the stage's units, in schedule order, to its devices. A unit the schedule marks overlapWithNext runs as one
 * overlapped pair with the next (DualPipe's F&B); with epCommOverlap so does each steady-phase backward with the
 * forward after it, of a later micro-batch that cannot depend on it (overlapped-pair.ts). With overlapGradReduce a
 * chunk's gradients are reduced during its last unit that completes them: its last backward, or its last weight unit
 * when the schedule splits weight gradients off.
 */
export function walkSchedule(w: StageWork, transfers: PipelineTransfers, units: readonly PipelineUnit[]): void {
  const completes: PipelineUnit['pass'] = w.layout.splitWeightGradients ? 'weight' : 'backward';
  const lastGradientUnit = new Map<number, number>(); // virtual stage → index of the unit completing its gradients
  units.forEach((u, i) => { if (u.pass === completes) lastGradientUnit.set(u.virtualStage, i); });
  const emit = (i: number): void => {
    const u = units[i]!;
    const reduce = w.layout.overlapGradReduce && lastGradientUnit.get(u.virtualStage) === i;
    if (u.pass === 'forward') forwardUnit(w, transfers, u);
    else if (u.pass === 'backward') backwardUnit(w, transfers, u, reduce, w.layout.splitWeightGradients ? 'input' : 'all');
    else backwardUnit(w, transfers, u, reduce, 'weight');
  };
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const next = units[i + 1];
    const pairs = u.overlapWithNext === true || (w.layout.epCommOverlap && u.pass === 'backward' && next?.pass === 'forward');
    if (pairs && next !== undefined) {
      const first = i;
      overlappedPair(w.stage, () => emit(first), () => emit(first + 1));
      i++;
    } else emit(i);
  }
}

function forwardUnit(w: StageWork, transfers: PipelineTransfers, u: PipelineUnit): void {
  const { stage, layout } = w;
  const chunk = layout.chunkIndex[stage.stage * layout.vpp + u.virtualStage]!;
  const ends = slotEnds(layout, chunk);
  const mb = u.microBatch;
  if (!ends.first) transfers.exchange(stage, 'recv', 'forward', mb, chunk - 1, chunk);
  else embeddingForward(w, mb);
  for (const l of chunkLayers(layout, stage.stage, u.virtualStage)) layerForward(w, l, mb, false);
  if (ends.last) lmHeadForward(w, mb);
  else transfers.exchange(stage, 'send', 'forward', mb, chunk, chunk + 1);
}

/**
 * A backward unit computing `gradients`: all, the input gradients only (B, its weight GEMMs left for a weight unit)
 * or the weight gradients only (W: the wgrad kernels, no communication); `overlap`: the unit completing the chunk's
 * gradients, which reduces each layer's right away.
 */
function backwardUnit(w: StageWork, transfers: PipelineTransfers, u: PipelineUnit, overlap: boolean, gradients: GradientPart): void {
  const { stage, layout, model } = w;
  const chunk = layout.chunkIndex[stage.stage * layout.vpp + u.virtualStage]!;
  const ends = slotEnds(layout, chunk);
  const twin = twinStage(layout, chunk);
  stage.gradients = gradients;
  const mb = u.microBatch;
  if (ends.last) lmHeadBackward(w, mb);
  else transfers.exchange(stage, 'recv', 'backward', mb, chunk + 1, chunk);
  const layers = chunkLayers(layout, stage.stage, u.virtualStage);
  for (let k = layers.length - 1; k >= 0; k--) {
    const l = layers[k]!;
    layerBackward(w, l, mb);
    if (overlap) reduceGradients(stage, `L${l}`, layerParams(model, layout, l), true, twin);
  }
  if (!ends.first) transfers.exchange(stage, 'send', 'backward', mb, chunk, chunk - 1);
  else embeddingBackward(w, mb);
  if (overlap) reduceGradients(stage, `chunk${chunk % layout.modelChunks} embedding/head`, { dense: chunkExtraParams(model, layout, chunk), expert: 0 }, true, twin);
  stage.gradients = 'all';
}
