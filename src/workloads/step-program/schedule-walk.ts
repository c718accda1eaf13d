// Walking a stage's pipeline schedule: each unit runs one micro-batch's forward or backward through one model chunk
// of the stage, receiving its input from the previous chunk (or running the embedding) and sending its output to the
// next (or running the LM head), backwards the other way. Chunks exchange activations and gradients with eager
// point-to-point sends, created once per (pass, micro-batch, chunk boundary) by whichever side is built first. With
// overlapGradReduce a chunk's last backward reduces each layer's gradients as soon as they are complete.
import { chunkExtraParams, layerParams } from '../param-sharding.ts';
import type { Layout } from '../parallelism.ts';
import { chunkLayers, deviceOf } from '../parallelism.ts';
import type { PipelineUnit } from '../pipeline-schedules/registry.ts';
import { reduceGradients } from './gradients.ts';
import type { StageWork } from './layers.ts';
import { embeddingBackward, embeddingForward, layerBackward, layerForward, lmHeadBackward, lmHeadForward } from './layers.ts';
import type { Pass, ProgramParts } from './stage-builder.ts';
import { addSpec } from './stage-builder.ts';
import { PipelineTransferSpec } from './types.ts';
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

  /** The transfers of micro-batch mb's `dir` pass from chunk `from` to chunk `to`, indexed dpRank · tp + tpRank. */
  ids(dir: Pass, mb: number, from: number, to: number): Int32Array {
    const key = `${dir}:${mb}:${from}:${to}`;
    let ids = this.byKey.get(key);
    if (!ids) {
      const { layout } = this;
      const { pp, dp, tp } = layout;
      ids = new Int32Array(dp * tp);
      for (let d = 0; d < dp; d++) {
        for (let t = 0; t < tp; t++) {
          const src = deviceOf(layout, from % pp, d, t);
          const dst = deviceOf(layout, to % pp, d, t);
          ids[d * tp + t] = addSpec(this.program, new PipelineTransferSpec([src, dst], this.bytes, dir === 'forward' ? 'activations' : 'gradients', mb, from, to, d, t));
        }
      }
      this.byKey.set(key, ids);
    }
    return ids;
  }
}

/** Appends the stage's units, in schedule order, to its devices. */
export function walkSchedule(w: StageWork, transfers: PipelineTransfers, units: readonly PipelineUnit[]): void {
  if (units.some((u) => u.pass === 'weight')) throw new Error('schedules that split weight gradients (W units: zb-h1, dualpipe, dualpipev) are not supported by the step program yet');
  const lastBackward = new Map<number, number>(); // virtual stage → index of its last backward unit
  units.forEach((u, i) => { if (u.pass === 'backward') lastBackward.set(u.virtualStage, i); });
  const emit = (i: number): void => {
    const u = units[i]!;
    if (u.pass === 'forward') forwardUnit(w, transfers, u);
    else backwardUnit(w, transfers, u, w.layout.overlapGradReduce && lastBackward.get(u.virtualStage) === i);
  };
  for (let i = 0; i < units.length; i++) {
    // With epCommOverlap each backward of the steady phase runs overlapped with the forward after it, of a later
    // micro-batch, which cannot depend on it (overlapped-pair.ts).
    if (w.layout.epCommOverlap && units[i]!.pass === 'backward' && units[i + 1]?.pass === 'forward') {
      const first = i;
      overlappedPair(w.stage, () => emit(first), () => emit(first + 1));
      i++;
    } else emit(i);
  }
}

function forwardUnit(w: StageWork, transfers: PipelineTransfers, u: PipelineUnit): void {
  const { stage, layout } = w;
  const chunk = u.virtualStage * layout.pp + stage.stage;
  const mb = u.microBatch;
  if (chunk > 0) stage.pointToPoint('recv', transfers.ids('forward', mb, chunk - 1, chunk));
  else embeddingForward(w, mb);
  for (const l of chunkLayers(layout, stage.stage, u.virtualStage)) layerForward(w, l, mb, false);
  if (chunk === layout.pp * layout.vpp - 1) lmHeadForward(w, mb);
  else stage.pointToPoint('send', transfers.ids('forward', mb, chunk, chunk + 1));
}

/** A backward unit; `overlap`: the chunk's last backward, which reduces each layer's gradients right away. */
function backwardUnit(w: StageWork, transfers: PipelineTransfers, u: PipelineUnit, overlap: boolean): void {
  const { stage, layout, model } = w;
  const chunk = u.virtualStage * layout.pp + stage.stage;
  const mb = u.microBatch;
  if (chunk === layout.pp * layout.vpp - 1) lmHeadBackward(w, mb);
  else stage.pointToPoint('recv', transfers.ids('backward', mb, chunk + 1, chunk));
  const layers = chunkLayers(layout, stage.stage, u.virtualStage);
  for (let k = layers.length - 1; k >= 0; k--) {
    const l = layers[k]!;
    layerBackward(w, l, mb);
    if (overlap) reduceGradients(stage, `L${l}`, layerParams(model, layout, l), true);
  }
  if (chunk > 0) stage.pointToPoint('send', transfers.ids('backward', mb, chunk, chunk - 1));
  else embeddingBackward(w, mb);
  if (overlap) reduceGradients(stage, `chunk${chunk} embedding/head`, { dense: chunkExtraParams(model, layout, chunk), expert: 0 }, true);
}
