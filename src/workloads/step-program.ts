// Build one training step as per-device task lists. Every device of a pipeline stage follows the same schedule
// (pipeline-schedule.ts), so the builder walks each stage's schedule once and appends to all of its devices in
// lockstep: per layer the attention block, its TP collective, then either a dense FFN or the MoE block (gate and
// shared experts, EP dispatch as an all-to-all-v carrying the routing matrix, the local experts' grouped GEMM from
// their real token counts, combine), and its TP collective. Stages exchange activations and gradients with eager
// point-to-point sends. Gradients are reduced over the DP group (experts over the ranks holding the same experts):
// with overlapGradReduce, layer by layer during each chunk's last backward, as asynchronous collectives the device
// waits for before the optimizer (one bucket per layer); without it, per chunk after the whole backward. ZeRO turns
// the reduction into a reduce-scatter and adds a parameter all-gather after the optimizer step.
import type { KernelChip, KernelCost } from '../kernels/index.ts';
import type { ModelSpec } from './model-spec.ts';
import { isMoeLayer } from './model-spec.ts';
import type { DeviceParams } from './param-sharding.ts';
import { chunkExtraParams, chunkParams, layerParams, stageParams } from './param-sharding.ts';
import type { Layout } from './parallelism.ts';
import { chunkLayers, deviceOf, epGroupDpRanks } from './parallelism.ts';
import { pipelineSchedule } from './pipeline-schedule.ts';
import type { LayerRouting } from './routing-summary.ts';
import { BYTES_PER_ELEMENT, layerCosts } from './step-costs.ts';
import type { PassCost } from './step-costs.ts';
import type { CollectiveOpKind, CollectiveSpec, CommCategory, ComputeCategory, ComputeTask, StepProgram, Task } from './step-program-types.ts';
import { PipelineTransferSpec } from './step-program-types.ts';

export interface StepProgramInput {
  model: ModelSpec;
  layout: Layout;
  chip: KernelChip;
  /** routing[microBatch][layer] for MoE layers (undefined for dense layers). */
  routing: (LayerRouting | undefined)[][];
  /**
   * MEO: sequences merge their k experts into one and run it where they are (every device holds every expert,
   * ep = 1), so an MoE block is the gate and the merged expert, with no all-to-all.
   */
  mergedExperts?: { k: number };
}

type Pass = 'forward' | 'backward';

export function buildStepProgram(input: StepProgramInput): StepProgram {
  const { model, layout, chip, routing } = input;
  const { pp, dp, tp, vpp, ep } = layout;
  const costs = layerCosts(model, layout, chip);
  const tasks: Task[][] = Array.from({ length: layout.devices }, () => []);
  const collectives: CollectiveSpec[] = [];
  const asyncOf: number[][] = Array.from({ length: layout.devices }, () => []);
  const lastChunk = pp * vpp - 1;
  const activationBytes = (layout.sequenceParallel ? costs.tokens / tp : costs.tokens) * model.hidden * BYTES_PER_ELEMENT;
  const tokenBytes = model.hidden * BYTES_PER_ELEMENT / (layout.sequenceParallel ? tp : 1);

  // Every caller passes a fresh object literal: it becomes the spec, its id added last (no copy per collective).
  const addSpec = (spec: Omit<CollectiveSpec, 'id'>): number => {
    const id = collectives.length;
    (spec as CollectiveSpec).id = id;
    collectives.push(spec as CollectiveSpec);
    return id;
  };
  const compute = (name: string, category: ComputeCategory, cost: KernelCost): ComputeTask =>
    ({ kind: 'compute', name, category, durationNs: cost.timeNs, flops: cost.flops });
  const routingOf = (mb: number, l: number): LayerRouting => {
    const r = routing[mb]?.[l];
    if (!r) throw new Error(`no routing for micro-batch ${mb}, layer ${l}`);
    return r;
  };

  // Point-to-point transfers between chunks, created by whichever side is built first: key → ids per (dp, tp).
  const p2p = new Map<string, Int32Array>();
  const transfer = (dir: Pass, mb: number, from: number, to: number): Int32Array => {
    const key = `${dir}:${mb}:${from}:${to}`;
    let ids = p2p.get(key);
    if (!ids) {
      ids = new Int32Array(dp * tp);
      for (let d = 0; d < dp; d++) {
        for (let t = 0; t < tp; t++) {
          const src = deviceOf(layout, from % pp, d, t);
          const dst = deviceOf(layout, to % pp, d, t);
          ids[d * tp + t] = addSpec(new PipelineTransferSpec([src, dst], activationBytes, dir === 'forward' ? 'activations' : 'gradients', mb, from, to, d, t));
        }
      }
      p2p.set(key, ids);
    }
    return ids;
  };

  for (let s = 0; s < pp; s++) {
    const stageDevices = Array.from({ length: dp * tp }, (_, i) => deviceOf(layout, s, Math.floor(i / tp), i % tp));
    const all = (task: Task): void => {
      for (const d of stageDevices) tasks[d]?.push(task);
    };
    const perDevice = (make: (dpRank: number, tpRank: number) => Task): void => {
      for (let d = 0; d < dp; d++) for (let t = 0; t < tp; t++) tasks[deviceOf(layout, s, d, t)]?.push(make(d, t));
    };
    const joinGroups = (name: string, category: CommCategory, op: CollectiveOpKind, groups: { group: number[]; bytes: number }[], async = false): void => {
      for (const g of groups) {
        if (g.group.length < 2) continue;
        const id = addSpec({ name: groups.length > 1 ? `${name} [${g.group[0]}…]` : name, category, group: g.group, op, bytes: g.bytes });
        const task: Task = { kind: 'collective', collective: id, async }; // one object shared by the members
        for (const d of g.group) {
          tasks[d]?.push(task);
          if (async) asyncOf[d]?.push(id);
        }
      }
    };
    const tpGroups = (bytes: (dpRank: number) => number) =>
      Array.from({ length: dp }, (_, d) => ({ group: Array.from({ length: tp }, (__, t) => deviceOf(layout, s, d, t)), bytes: bytes(d) }));
    /**
     * The TP collective closing a block: allreduce without sequence parallelism; with it, reduce-scatter + all-gather
     * (`parts` both), except around an MoE block, which takes and returns 1/tp of the tokens (its dispatcher gathers
     * over TP itself): the attention block before it ends with the reduce-scatter only, the MoE block with the
     * all-gather that feeds the next attention.
     */
    const tpCollective = (name: string, parts: 'both' | 'reduce-scatter' | 'all-gather' = 'both', allreduceWithoutSp = true): void => {
      if (tp < 2) return;
      const bytes = costs.tokens * model.hidden * BYTES_PER_ELEMENT;
      if (!layout.sequenceParallel) {
        if (allreduceWithoutSp) joinGroups(`${name} allreduce`, 'tp', 'allreduce', tpGroups(() => bytes));
        return;
      }
      if (parts !== 'all-gather') joinGroups(`${name} reduce-scatter`, 'tp', 'reducescatter', tpGroups(() => bytes));
      if (parts !== 'reduce-scatter') joinGroups(`${name} all-gather`, 'tp', 'allgather', tpGroups(() => bytes));
    };
    // One group and ranks array per (TP rank, EP group) of the stage, shared by all its all-to-alls (the executor
    // compiles each group's plan once and finds it by the array).
    const epGroups = Array.from({ length: tp }, (_, t) => Array.from({ length: layout.epGroups }, (__, g) => {
      const ranks = epGroupDpRanks(layout, g);
      return { ranks, group: ranks.map((d) => deviceOf(layout, s, d, t)) };
    }));
    const allToAll = (name: string, category: CommCategory, r: LayerRouting, transpose: boolean): void => {
      for (let t = 0; t < tp; t++) {
        for (let g = 0; g < layout.epGroups; g++) {
          const { ranks, group } = epGroups[t]?.[g] as { ranks: number[]; group: number[] };
          if (ranks.length < 2) continue;
          const id = addSpec({ name: `${name} ep${g} tp${t}`, category, group, op: 'all-to-all-v', traffic: { routing: r, ranks, transpose, bytesPerToken: tokenBytes } });
          const task: Task = { kind: 'collective', collective: id, async: false };
          for (const d of group) tasks[d]?.push(task);
        }
      }
    };
    const receivedBytes = (r: LayerRouting, dpRank: number): number => {
      let sum = 0;
      for (let i = dpRank * layout.expertsPerDevice; i < (dpRank + 1) * layout.expertsPerDevice; i++) sum += r.tokensPerRankExpert[i] as number;
      return sum * model.hidden * BYTES_PER_ELEMENT;
    };
    const pick = (c: PassCost, pass: Pass): KernelCost => (pass === 'forward' ? c.forward : c.backward);

    // Each DP rank's routed-expert cost per (micro-batch, layer), shared by the forward, a recompute and the backward.
    const expertCosts = new Map<number, PassCost[]>();
    const expertCostsOf = (mb: number, l: number, r: LayerRouting): PassCost[] => {
      const key = mb * model.layers + l;
      let known = expertCosts.get(key);
      if (known === undefined) {
        const counts = new Float64Array(layout.expertsPerDevice); // each rank's counts, copied (costs.experts keeps nothing)
        known = Array.from({ length: dp }, (_, d) => {
          for (let e = 0; e < counts.length; e++) counts[e] = r.tokensPerRankExpert[d * counts.length + e] as number;
          return costs.experts(counts);
        });
        expertCosts.set(key, known);
      }
      return known;
    };
    const moeBlock = (l: number, mb: number, pass: Pass, category: (c: ComputeCategory) => ComputeCategory, tag: string): void => {
      if (input.mergedExperts) {
        const gate = compute(`gate${tag} L${l} mb${mb}`, category('gate'), pick(costs.gate, pass));
        const merged = compute(`merged expert${tag} L${l} mb${mb}`, category('expert'), pick(costs.mergedExperts(input.mergedExperts.k), pass));
        if (pass === 'forward') all(gate);
        all(merged);
        if (pass === 'backward') all(gate);
        return;
      }
      const r = routingOf(mb, l);
      const gate = compute(`gate${tag} L${l} mb${mb}`, category('gate'), pick(costs.gate, pass));
      const shared = model.sharedExperts > 0 ? compute(`shared experts${tag} L${l} mb${mb}`, category('shared-expert'), pick(costs.sharedExperts, pass)) : undefined;
      const expertName = `experts${tag} L${l} mb${mb}`;
      const expertCosts = expertCostsOf(mb, l, r);
      const experts = Array.from({ length: dp }, (_, d) => compute(expertName, category('expert'), pick(expertCosts[d] as PassCost, pass)));
      const sp = layout.sequenceParallel && tp > 1;
      if (pass === 'forward') {
        all(gate);
        if (shared) all(shared);
        allToAll(`dispatch${tag} L${l} mb${mb}`, 'ep-dispatch', r, false);
        if (sp) joinGroups(`experts in all-gather${tag} L${l} mb${mb}`, 'tp', 'allgather', tpGroups((d) => receivedBytes(r, d)));
        perDevice((d) => experts[d] as Task);
        if (sp) joinGroups(`experts out reduce-scatter${tag} L${l} mb${mb}`, 'tp', 'reducescatter', tpGroups((d) => receivedBytes(r, d)));
        allToAll(`combine${tag} L${l} mb${mb}`, 'ep-combine', r, true);
      } else {
        allToAll(`combine bwd L${l} mb${mb}`, 'ep-combine', r, false);
        if (sp) joinGroups(`experts out all-gather bwd L${l} mb${mb}`, 'tp', 'allgather', tpGroups((d) => receivedBytes(r, d)));
        perDevice((d) => experts[d] as Task);
        if (sp) joinGroups(`experts in reduce-scatter bwd L${l} mb${mb}`, 'tp', 'reducescatter', tpGroups((d) => receivedBytes(r, d)));
        allToAll(`dispatch bwd L${l} mb${mb}`, 'ep-dispatch', r, true);
        if (shared) all(shared);
        all(gate);
      }
    };

    const layerForward = (l: number, mb: number, recompute: boolean): void => {
      const tag = recompute ? ' recompute' : '';
      const category = (c: ComputeCategory): ComputeCategory => (recompute ? 'recompute' : c);
      const moe = isMoeLayer(model, l);
      all(compute(`attention${tag} L${l} mb${mb}`, category('attention'), costs.attention.forward));
      tpCollective(`tp attention${tag} L${l} mb${mb}`, moe ? 'reduce-scatter' : 'both');
      if (moe) moeBlock(l, mb, 'forward', category, tag);
      else all(compute(`ffn${tag} L${l} mb${mb}`, category('dense-ffn'), costs.denseFfn.forward));
      tpCollective(`tp ffn${tag} L${l} mb${mb}`, moe ? 'all-gather' : 'both');
    };
    const layerBackward = (l: number, mb: number): void => {
      if (layout.recompute === 'full') layerForward(l, mb, true);
      const moe = isMoeLayer(model, l);
      // Backward of an all-gather is a reduce-scatter and vice versa.
      tpCollective(`tp ffn bwd L${l} mb${mb}`, moe ? 'reduce-scatter' : 'both');
      if (moe) moeBlock(l, mb, 'backward', (c) => c, ' bwd');
      else all(compute(`ffn bwd L${l} mb${mb}`, 'dense-ffn', costs.denseFfn.backward));
      tpCollective(`tp attention bwd L${l} mb${mb}`, moe ? 'all-gather' : 'both');
      all(compute(`attention bwd L${l} mb${mb}`, 'attention', costs.attention.backward));
    };
    const sendTo = (ids: Int32Array): void => perDevice((d, t) => ({ kind: 'send', collective: ids[d * tp + t] as number }));
    const recvFrom = (ids: Int32Array): void => perDevice((d, t) => ({ kind: 'recv', collective: ids[d * tp + t] as number }));

    /** Reduce the gradients of `params` over the DP group (experts: over the ranks holding the same experts). */
    const gradReduce = (what: string, params: DeviceParams, async: boolean): void => {
      const op: CollectiveOpKind = layout.zero > 0 ? 'reducescatter' : 'allreduce';
      const denseGroups = Array.from({ length: tp }, (_, t) => ({ group: Array.from({ length: dp }, (__, d) => deviceOf(layout, s, d, t)), bytes: params.dense * BYTES_PER_ELEMENT }));
      if (params.dense > 0) joinGroups(`dp grads ${what}`, 'dp-grad', op, denseGroups, async);
      if (params.expert > 0 && layout.epGroups > 1) {
        const expertGroups = Array.from({ length: tp * ep }, (_, i) => ({
          group: Array.from({ length: layout.epGroups }, (__, g) => deviceOf(layout, s, g * ep + (i % ep), Math.floor(i / ep))),
          bytes: params.expert * BYTES_PER_ELEMENT,
        }));
        joinGroups(`expert grads ${what}`, 'expert-grad', op, expertGroups, async);
      }
    };

    const units = pipelineSchedule(s, pp, vpp, layout.microBatches);
    const lastBackward = new Map<number, number>();
    units.forEach((u, i) => { if (u.pass === 'backward') lastBackward.set(u.virtualStage, i); });
    units.forEach((u, i) => {
      const chunk = u.virtualStage * pp + s;
      const layers = chunkLayers(layout, s, u.virtualStage);
      const mb = u.microBatch;
      if (u.pass === 'forward') {
        if (chunk > 0) recvFrom(transfer('forward', mb, chunk - 1, chunk));
        else {
          // Vocab-parallel embedding: each TP rank looks up its slice; the partial rows are summed over TP.
          all(compute(`embedding mb${mb}`, 'embedding', costs.embedding.forward));
          tpCollective(`tp embedding mb${mb}`, 'reduce-scatter');
        }
        for (const l of layers) layerForward(l, mb, false);
        if (chunk === lastChunk) {
          tpCollective(`tp lm-head input mb${mb}`, 'all-gather', false); // SP shards → whole sequence for the column-parallel head
          all(compute(`lm-head mb${mb}`, 'lm-head', costs.lmHead.forward));
        } else sendTo(transfer('forward', mb, chunk, chunk + 1));
        return;
      }
      // The chunk's last backward completes each layer's gradients in turn: with overlap, reduce them right away.
      const overlap = layout.overlapGradReduce && lastBackward.get(u.virtualStage) === i;
      if (chunk === lastChunk) {
        all(compute(`lm-head bwd mb${mb}`, 'lm-head', costs.lmHead.backward));
        tpCollective(`tp lm-head input grad mb${mb}`, 'reduce-scatter');
      } else recvFrom(transfer('backward', mb, chunk + 1, chunk));
      for (let k = layers.length - 1; k >= 0; k--) {
        const l = layers[k] as number;
        layerBackward(l, mb);
        if (overlap) gradReduce(`L${l}`, layerParams(model, layout, l), true);
      }
      if (chunk > 0) sendTo(transfer('backward', mb, chunk, chunk - 1));
      else {
        tpCollective(`tp embedding grad mb${mb}`, 'all-gather', false);
        all(compute(`embedding bwd mb${mb}`, 'embedding', costs.embedding.backward));
      }
      if (overlap) gradReduce(`chunk${chunk} embedding/head`, { dense: chunkExtraParams(model, layout, chunk), expert: 0 }, true);
    });
    if (!layout.overlapGradReduce) for (let v = vpp - 1; v >= 0; v--) gradReduce(`stage${s} chunk${v}`, chunkParams(model, layout, s, v), false);
    for (const d of stageDevices) {
      const ids = asyncOf[d] ?? [];
      if (ids.length > 0) tasks[d]?.push({ kind: 'wait', name: 'wait for gradient reduction', collectives: ids });
    }
    // Optimizer: ZeRO ≥ 1 updates only this rank's shard of the states, then all-gathers the updated bf16 weights.
    const params = stageParams(model, layout, s);
    const shard = layout.zero > 0 ? params.dense / dp + params.expert / layout.epGroups : params.dense + params.expert;
    all(compute(`optimizer stage${s}`, 'optimizer', costs.optimizer(shard)));
    if (layout.zero > 0) {
      for (let v = 0; v < vpp; v++) {
        const p = chunkParams(model, layout, s, v);
        joinGroups(`param all-gather stage${s} chunk${v}`, 'param-allgather', 'allgather',
          Array.from({ length: tp }, (_, t) => ({ group: Array.from({ length: dp }, (__, d) => deviceOf(layout, s, d, t)), bytes: p.dense * BYTES_PER_ELEMENT })));
        if (p.expert > 0 && layout.epGroups > 1) {
          joinGroups(`expert param all-gather stage${s} chunk${v}`, 'param-allgather', 'allgather', Array.from({ length: tp * ep }, (_, i) => ({
            group: Array.from({ length: layout.epGroups }, (__, g) => deviceOf(layout, s, g * ep + (i % ep), Math.floor(i / ep))),
            bytes: p.expert * BYTES_PER_ELEMENT,
          })));
        }
      }
    }
  }
  return { devices: layout.devices, tasks, collectives };
}
