// Transformations of a compiled all-to-all (alltoall-staged.ts): run it in chunks as a software pipeline, so that
// chunk c's second stage moves while chunk c + 1's first stage does (the intra- and inter-server stages of a
// hierarchical all-to-all overlap instead of running one after the other), and reverse it (the combine direction of
// a staged dispatch: the same slots, each flow turned round, the stages in the opposite order).
import { InputError } from '../../engine/index.ts';
import type { Cluster } from '../cluster/types.ts';
import type { PackedRoutes } from '../network/types.ts';
import type { CompiledAllToAll } from './alltoall-staged.ts';
import { compileRoutes } from './alltoall-staged.ts';

/**
 * The compiled plan split into `chunks` equal chunks run as a wavefront: with P phases, output phase k holds phase
 * k − c of every chunk c with 0 ≤ k − c < P, so there are chunks + P − 1 phases. Every slot appears once per chunk
 * with the original's terms; fill it with scale / chunks so that the chunks add up to the original bytes. A chunk
 * after the first is sent behind the one before on the same connection (its send posted while that one is on the
 * wire), so it is marked streamed and pays no per-message latency: the pipeline costs its fill and drain, not α per chunk.
 */
export function pipelineInChunks(compiled: CompiledAllToAll, chunks: number, algo = `${compiled.algo ?? 'hierarchical'}-pipelined`): CompiledAllToAll {
  if (!Number.isInteger(chunks) || chunks < 1) throw new InputError(`pipelined all-to-all: chunks is ${String(chunks)}; expected a whole number ≥ 1`);
  const P = compiled.phaseStart.length - 1;
  const order: number[] = []; // original slot of each output slot, in output order
  const later: number[] = []; // 1 for chunks after the first: they stream behind it, paying no per-message latency
  const phaseStart: number[] = [0];
  for (let k = 0; k < chunks + P - 1; k++) {
    for (let c = Math.max(0, k - P + 1); c <= Math.min(k, chunks - 1); c++) {
      const p = k - c;
      for (let f = compiled.phaseStart[p]!; f < compiled.phaseStart[p + 1]!; f++) {
        order.push(f);
        later.push(c > 0 || compiled.streamed?.[f] === 1 ? 1 : 0);
      }
    }
    phaseStart.push(order.length);
  }
  return { ...remap(compiled, order), phaseStart: Int32Array.from(phaseStart), algo, streamed: Uint8Array.from(later) };
}

/**
 * The plan turned round: every flow from its destination to its source, the phases in reverse order, the same terms
 * per slot. Routes are compiled afresh on `cluster` (the way back need not use the same links); none without one.
 */
export function reverseCompiled(compiled: CompiledAllToAll, cluster?: Cluster): CompiledAllToAll {
  const P = compiled.phaseStart.length - 1;
  const order: number[] = [];
  const phaseStart: number[] = [0];
  for (let p = P - 1; p >= 0; p--) {
    for (let f = compiled.phaseStart[p]!; f < compiled.phaseStart[p + 1]!; f++) order.push(f);
    phaseStart.push(order.length);
  }
  const forward = remap({ ...compiled, routes: undefined }, order);
  const src = Array.from(forward.dst);
  const dst = Array.from(forward.src);
  return {
    ...forward, src: Int32Array.from(src), dst: Int32Array.from(dst), phaseStart: Int32Array.from(phaseStart),
    routes: cluster === undefined ? undefined : compileRoutes(cluster, src, dst),
  };
}

/** Slots in `order` (repeats allowed): their endpoints, terms and routes copied. */
function remap(compiled: CompiledAllToAll, order: readonly number[]): CompiledAllToAll {
  const [termStart, terms] = gatherRows(compiled.termStart, compiled.terms, order);
  const r = compiled.routes;
  let routes: PackedRoutes | undefined;
  if (r !== undefined) {
    const [start, links] = gatherRows(r.start, r.links, order);
    routes = { start, links, latency: Float64Array.from(order, (f) => r.latency[f]!), intraServer: Uint8Array.from(order, (f) => r.intraServer[f]!) };
  }
  return {
    group: compiled.group, phaseStart: compiled.phaseStart, src: Int32Array.from(order, (f) => compiled.src[f]!), dst: Int32Array.from(order, (f) => compiled.dst[f]!),
    termStart, terms, routes, algo: compiled.algo,
    ...(compiled.streamed === undefined ? {} : { streamed: Uint8Array.from(order, (f) => compiled.streamed![f]!) }),
  };
}

/** Rows `order` of a CSR array (row f: values[start[f]] … values[start[f + 1] − 1]), as a new CSR pair. */
function gatherRows(start: Int32Array, values: Int32Array, order: readonly number[]): [Int32Array, Int32Array] {
  const outStart = new Int32Array(order.length + 1);
  let size = 0;
  for (const f of order) size += start[f + 1]! - start[f]!;
  const out = new Int32Array(size);
  let at = 0;
  order.forEach((f, i) => {
    out.set(values.subarray(start[f]!, start[f + 1]!), at);
    at += start[f + 1]! - start[f]!;
    outStart[i + 1] = at;
  });
  return [outStart, out];
}
