// ZB-H1, the handcrafted zero-bubble schedule of Qi et al. ("Zero Bubble Pipeline Parallelism", arXiv 2401.10241):
// each backward is split into B (input gradients, on the critical path) and W (weight gradients, deferrable). Stage
// s warms up with the same pp − s − 1 forwards as 1F1B, then runs s forward + B pairs whose W it holds back, then
// forward + B + W triples (the W being the oldest one held back), then B + W pairs, and finally the s W it still
// owes. Holding back s weight passes lets the first stages start their backwards earlier, which fills the
// pipeline's tail: the bubble falls from 1F1B's (pp − 1)(F + B + W) to (pp − 1)(F + B − W) with B the input-gradient
// half (the papers' (pp − 1)(F + B − 2W) with B the whole backward), when F = B = W as the paper assumes. A stage
// never holds more than pp forwards without their B, as in 1F1B, so peak activation memory is unchanged.
import type { PipelineUnit, ScheduleProblem } from './schedule-types.ts';
import { assertStage } from './schedule-types.ts';

export function zeroBubbleH1Units(stage: number, pp: number, _vpp: number, microBatches: number): PipelineUnit[] {
  assertStage(stage, pp);
  const units: PipelineUnit[] = [];
  let forwards = 0;
  let backwards = 0;
  let weights = 0;
  const forward = (): void => { units.push({ pass: 'forward', microBatch: forwards++, virtualStage: 0 }); };
  const backward = (): void => { units.push({ pass: 'backward', microBatch: backwards++, virtualStage: 0 }); };
  const weight = (): void => { units.push({ pass: 'weight', microBatch: weights++, virtualStage: 0 }); };
  const warmup = Math.min(pp - stage - 1, microBatches);
  for (let i = 0; i < warmup; i++) forward();
  // Weight passes held back: at most `stage`, fewer when the micro-batches run out first.
  const heldBack = Math.min(stage, microBatches - warmup);
  for (let i = 0; i < heldBack; i++) { forward(); backward(); }
  while (forwards < microBatches) { forward(); backward(); weight(); }
  while (backwards < microBatches) { backward(); weight(); }
  while (weights < microBatches) weight();
  return units;
}

export function zeroBubbleH1Stages(_pp: number, vpp: number): ScheduleProblem | undefined {
  if (vpp > 1) return { field: 'vpp', message: `the zb-h1 schedule runs one model chunk per stage: set vpp = 1 (got vpp = ${vpp})` };
  return undefined;
}
