// Pipeline schedules: the order in which one stage runs the forward and backward passes of its micro-batches.
// - 1F1B (vpp = 1, PipeDream-Flush as in Megatron-LM): stage s runs min(pp − s − 1, M) warm-up forwards, then
//   alternates one forward and one backward, then drains the remaining backwards.
// - Interleaved 1F1B (vpp > 1, Megatron-LM's virtual pipeline): each stage holds vpp model chunks; forward unit k
//   runs chunk ⌊(k mod pp·vpp) / pp⌋ of micro-batch ⌊k / (pp·vpp)⌋·pp + (k mod pp), backward unit k runs chunk
//   vpp − 1 − ⌊(k mod pp·vpp) / pp⌋ of the same micro-batch; warm-up is (pp − s − 1)·2 + (vpp − 1)·pp units
//   (all units when M = pp). Needs M to be a multiple of pp (resolveLayout checks it).

export interface PipelineUnit {
  pass: 'forward' | 'backward';
  microBatch: number;
  /** Virtual stage (model chunk index on this stage), 0 … vpp − 1. */
  virtualStage: number;
}

function interleavedUnit(k: number, pass: PipelineUnit['pass'], pp: number, vpp: number): PipelineUnit {
  const inGroup = k % (pp * vpp);
  const chunk = Math.floor(inGroup / pp);
  return {
    pass,
    microBatch: Math.floor(k / (pp * vpp)) * pp + (k % pp),
    virtualStage: pass === 'forward' ? chunk : vpp - 1 - chunk,
  };
}

/** The ordered units stage `stage` runs in one step with `microBatches` micro-batches. */
export function pipelineSchedule(stage: number, pp: number, vpp: number, microBatches: number): PipelineUnit[] {
  if (!(stage >= 0 && stage < pp)) throw new RangeError(`stage ${stage} outside 0…${pp - 1}`);
  const units: PipelineUnit[] = [];
  if (vpp === 1) {
    const warmup = Math.min(pp - stage - 1, microBatches);
    const fwd = (mb: number): PipelineUnit => ({ pass: 'forward', microBatch: mb, virtualStage: 0 });
    const bwd = (mb: number): PipelineUnit => ({ pass: 'backward', microBatch: mb, virtualStage: 0 });
    for (let i = 0; i < warmup; i++) units.push(fwd(i));
    for (let i = 0; i < microBatches - warmup; i++) units.push(fwd(warmup + i), bwd(i));
    for (let i = microBatches - warmup; i < microBatches; i++) units.push(bwd(i));
    return units;
  }
  if (microBatches % pp !== 0) throw new RangeError(`interleaved schedule: ${microBatches} micro-batches is not a multiple of pp = ${pp}`);
  const total = microBatches * vpp;
  const warmup = microBatches === pp ? total : Math.min((pp - stage - 1) * 2 + (vpp - 1) * pp, total);
  for (let k = 0; k < warmup; k++) units.push(interleavedUnit(k, 'forward', pp, vpp));
  for (let i = 0; i < total - warmup; i++) {
    units.push(interleavedUnit(warmup + i, 'forward', pp, vpp), interleavedUnit(i, 'backward', pp, vpp));
  }
  for (let k = total - warmup; k < total; k++) units.push(interleavedUnit(k, 'backward', pp, vpp));
  return units;
}
