// A data-movement checker for collective plans (for tests, and for users who write their own algorithms).
// Flows carry byte counts, not data, so it checks what follows from them: (1) causality — a flow carries only
// what its sender had when the phase began, and every rank must end up depending on the ranks the op says
// (everyone for allreduce, allgather and reduce-scatter; the root for broadcast; the senders of its
// traffic-matrix row for all-to-all); (2) information lower bounds on the bytes each rank sends and receives.
import type { CollectivePlan, TrafficMatrix } from './plan.ts';
import { trafficReader } from './plan.ts';

export interface PlanRankBytes {
  /** Bytes each rank (position in plan.group) sends / receives over the whole plan. */
  readonly sent: Float64Array;
  readonly received: Float64Array;
  readonly flows: number;
}

const MAX_PROBLEMS = 12;

/** Per-rank byte totals of a plan; flows whose ends are not in the group are not counted. */
export function planRankBytes(plan: CollectivePlan): PlanRankBytes {
  const rankOf = new Map(plan.group.map((device, rank) => [device, rank]));
  const sent = new Float64Array(plan.group.length);
  const received = new Float64Array(plan.group.length);
  let flows = 0;
  for (const phase of plan.phases) {
    for (const flow of phase) {
      const s = rankOf.get(flow.src);
      const d = rankOf.get(flow.dst);
      if (s === undefined || d === undefined) continue;
      sent[s] = sent[s]! + flow.bytes;
      received[d] = received[d]! + flow.bytes;
      flows++;
    }
  }
  return { sent, received, flows };
}

/** Which ranks each rank has heard from (directly or through relays) by the end of the plan. */
function dependencies(plan: CollectivePlan, rankOf: Map<number, number>): (dst: number, src: number) => boolean {
  const n = plan.group.length;
  const words = Math.ceil(n / 32);
  let known = new Uint32Array(n * words);
  for (let r = 0; r < n; r++) known[r * words + (r >>> 5)] = 1 << (r & 31);
  for (const phase of plan.phases) {
    const before = known;
    known = before.slice();
    for (const flow of phase) {
      const s = rankOf.get(flow.src);
      const d = rankOf.get(flow.dst);
      if (s === undefined || d === undefined || !(flow.bytes > 0)) continue;
      for (let w = 0; w < words; w++) known[d * words + w] = known[d * words + w]! | before[s * words + w]!;
    }
  }
  return (dst, src) => ((known[dst * words + (src >>> 5)]! >>> (src & 31)) & 1) === 1;
}

/**
 * Problems with `plan` as a realisation of its op (an empty list when none are found). `size` is the
 * nccl-tests size of the op (see planCollective), or for all-to-all the traffic matrix (a number means
 * size/n from every rank to every rank).
 */
export function checkCollectivePlan(plan: CollectivePlan, size: number | TrafficMatrix): string[] {
  const problems: string[] = [];
  const report = (text: string): void => void (problems.length < MAX_PROBLEMS && problems.push(text));
  const { group, op } = plan;
  const n = group.length;
  const rankOf = new Map(group.map((device, rank) => [device, rank]));
  plan.phases.forEach((phase, p) => {
    for (const flow of phase) {
      const where = `phase ${p + 1}: flow ${flow.src}→${flow.dst}`;
      if (!rankOf.has(flow.src) || !rankOf.has(flow.dst)) report(`${where} has an end outside the group`);
      if (flow.src === flow.dst) report(`${where} is a self-loop`);
      if (!Number.isFinite(flow.bytes) || flow.bytes < 0) report(`${where} carries ${String(flow.bytes)} bytes`);
    }
  });
  const heard = dependencies(plan, rankOf);
  const { sent, received } = planRankBytes(plan);
  const slack = 1 - 1e-9;
  const atLeast = (rank: number, what: 'sends' | 'receives', actual: number, bound: number, why: string): void => {
    if (actual < bound * slack) report(`rank ${rank} (device ${group[rank]}) ${what} ${actual} bytes; ${op} needs at least ${bound} (${why})`);
  };
  const needs = (dst: number, src: number): void => {
    if (!heard(dst, src)) report(`rank ${dst} (device ${group[dst]}) never receives anything that depends on rank ${src} (device ${group[src]})`);
  };
  const total = typeof size === 'number' ? size : 0;
  for (let r = 0; n > 1 && r < n; r++) {
    switch (op) {
      case 'allreduce':
      case 'allgather':
      case 'reducescatter':
        for (let s = 0; s < n; s++) needs(r, s);
        if (op === 'allreduce') {
          atLeast(r, 'sends', sent[r]!, total, 'its whole input must influence the others');
          atLeast(r, 'receives', received[r]!, total, 'the sum of the others is a full buffer');
        } else if (op === 'allgather') {
          atLeast(r, 'receives', received[r]!, ((n - 1) / n) * total, 'n−1 contributions of size/n');
        } else {
          atLeast(r, 'sends', sent[r]!, ((n - 1) / n) * total, 'its part of n−1 other slices');
        }
        break;
      case 'broadcast': {
        const root = rankOf.get(plan.root ?? group[0]!) ?? 0;
        if (r !== root) {
          needs(r, root);
          atLeast(r, 'receives', received[r]!, total, 'the whole buffer');
        }
        break;
      }
      case 'sendrecv': {
        const ring = plan.algo === 'ring';
        if (ring || r < n - 1) {
          needs((r + 1) % n, r);
          atLeast((r + 1) % n, 'receives', received[(r + 1) % n]!, total, 'the message');
        }
        break;
      }
      case 'alltoall': {
        const read = trafficReader(group, typeof size === 'number' ? () => size / n : size);
        let out = 0;
        let into = 0;
        for (let s = 0; s < n; s++) {
          if (s === r) continue;
          out += read(r, s);
          into += read(s, r);
          if (read(s, r) > 0) needs(r, s);
        }
        atLeast(r, 'sends', sent[r]!, out, 'its row of the traffic matrix');
        atLeast(r, 'receives', received[r]!, into, 'its column of the traffic matrix');
        break;
      }
    }
  }
  return problems;
}
