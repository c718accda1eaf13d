// Route N tokens through one MoE layer with a named router on tfjs, outside any training step, and count what
// happened: kept tokens per expert, dropped and computed assignments, and the wall time of routing alone.
// Backs `moesim route`. Features come from a token source chunk by chunk (chunk c = the source's micro-batch c,
// at most ~16,384 tokens, a whole number of routing groups), so memory stays bounded for any N. Every chunk is
// routed with layer 0's gate (one layer, N tokens). time_s sums router.route() calls only; featureTime_s sums
// token-source batch() calls. Placement: experts e sit on node floor(e / 8) of ceil(E / 8) nodes, and global
// routing group g (counted across chunks) sits on node g mod nodes. Stateful routers are not stepped (no endStep):
// this is one step's routing from the router's initial state.
import { performance } from 'node:perf_hooks';
import { Rng } from '../../engine/index.ts';
import type { BackendName, Router, RoutingDecision, RoutingPlacement } from '../../routing/index.ts';
import { createRouter, initTfBackend } from '../../routing/index.ts';
import type { TokenSourceConfig } from '../../workloads/index.ts';
import { CL100K_VOCAB, assertFiniteFeatures, createTokenSource } from '../../workloads/index.ts';

export interface RouteTokensOptions {
  router: string;
  /** Router parameters (defaults when absent). */
  params?: unknown;
  tokens: number;
  experts: number;
  hidden: number;
  topK: number;
  groupSize: number;
  seed: number;
  source: TokenSourceConfig;
  backend: BackendName;
  /** Tokens per chunk of features (rounded to whole groups that divide the group count; default 16,384). */
  chunkTokens?: number;
  /** Called after each chunk is routed (progress display). */
  onChunkDone?: (done: number, total: number) => void;
}

export interface RouteTokensResult {
  router: string;
  tokens: number;
  experts: number;
  /** Kept tokens per expert (sequence-level routers: tokens of the kept sequences). */
  tokensPerExpert: number[];
  /** max / mean of tokensPerExpert (0 when nothing was kept). */
  maxOverMean: number;
  /** Assignments dropped by capacity. */
  dropped: number;
  /** Assignments the router computed (proposed pairs; null-expert assignments are not included). */
  computed: number;
  /** Wall time of routing (sum of router.route() calls), seconds. */
  time_s: number;
  /** Wall time of feature generation (sum of token-source batch() calls), seconds. */
  featureTime_s: number;
  topK: number;
  hidden: number;
  groupSize: number;
  groups: number;
  chunks: number;
  nodes: number;
  seqLength: number;
  /** Assignments to AdaMoE's null experts. */
  nullAssignments: number;
  backend: string;
  /** Set when the requested backend was not available and another took over. */
  backendNote?: string;
  tokenSource: string;
  params: Readonly<Record<string, unknown>>;
}

/** Experts per node in the simple placement `moesim route` gives routers. */
export const EXPERTS_PER_NODE = 8;
const DEFAULT_CHUNK_TOKENS = 16_384;
const MAX_SEQ_LENGTH = 2048;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The largest divisor of `groups` that is at most `limit` (at least 1). */
export function largestDivisorAtMost(groups: number, limit: number): number {
  for (let c = Math.max(1, Math.min(groups, Math.floor(limit))); c > 1; c--) if (groups % c === 0) return c;
  return 1;
}

/** Experts on node floor(e/8); global group g on node g mod nodes (`offset()` is the first group of the chunk being routed). */
export function simplePlacement(experts: number, offset: () => number): RoutingPlacement {
  const nodes = Math.ceil(experts / EXPERTS_PER_NODE);
  return {
    nodes,
    groupNode: (g) => (offset() + g) % nodes,
    expertNode: (_g, e) => Math.floor(e / EXPERTS_PER_NODE),
  };
}

/** Adds one decision's kept counts (scaled to tokens for sequence-level routing) into `perExpert`. */
export function accumulateDecision(decision: RoutingDecision, perExpert: Float64Array): { computed: number; dropped: number; nulls: number } {
  const scale = decision.sequenceLength ?? 1;
  const n = decision.numExperts;
  for (let i = 0; i < decision.keptCounts.length; i++) perExpert[i % n] = perExpert[i % n]! + decision.keptCounts[i]! * scale;
  let kept = 0;
  for (let i = 0; i < decision.pairKept.length; i++) kept += decision.pairKept[i]!;
  const proposed = decision.pairKept.length;
  return { computed: proposed * scale, dropped: (proposed - kept) * scale, nulls: decision.nullAssignments ?? 0 };
}

export function maxOverMean(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  return Math.max(...values) / (total / values.length);
}

/** Route `tokens` tokens in groups of `groupSize`; the caller has validated the numbers (see command-route.ts). */
export async function routeTokens(options: RouteTokensOptions): Promise<RouteTokensResult> {
  const { tokens, experts, hidden, groupSize, topK } = options;
  const groups = tokens / groupSize;
  const chunkGroups = largestDivisorAtMost(groups, (options.chunkTokens ?? DEFAULT_CHUNK_TOKENS) / groupSize);
  const chunks = groups / chunkGroups;
  const seqLength = gcd(groupSize, MAX_SEQ_LENGTH);
  const backend = await initTfBackend(options.backend);
  const rng = new Rng(options.seed);
  const shape = { groups: chunkGroups, groupSize, hidden, vocab: CL100K_VOCAB, seqLength, layers: 1, moeLayers: [0], microBatches: chunks };
  const source = await createTokenSource(options.source, shape, rng.derive('tokens'));
  let firstGroup = 0;
  const placement = simplePlacement(experts, () => firstGroup);
  const router: Router = createRouter(options.router, options.params ?? {}, {
    numExperts: experts, topK, hidden, seqLength, rng: rng.derive(`router/${options.router}`), placement,
  });

  const perExpert = new Float64Array(experts);
  let computed = 0;
  let dropped = 0;
  let nulls = 0;
  let routeMs = 0;
  let featureMs = 0;
  for (let c = 0; c < chunks; c++) {
    const f0 = performance.now();
    const batch = source.batch(0, c);
    featureMs += performance.now() - f0;
    assertFiniteFeatures(batch, source.description);
    firstGroup = c * chunkGroups;
    const r0 = performance.now();
    const decision = router.route(batch, 0, c);
    routeMs += performance.now() - r0;
    const counted = accumulateDecision(decision, perExpert);
    computed += counted.computed;
    dropped += counted.dropped;
    nulls += counted.nulls;
    options.onChunkDone?.(c + 1, chunks);
  }
  const tokensPerExpert = Array.from(perExpert);
  return {
    router: options.router,
    tokens,
    experts,
    tokensPerExpert,
    maxOverMean: Number(maxOverMean(tokensPerExpert).toFixed(6)),
    dropped,
    computed,
    time_s: Number((routeMs / 1000).toFixed(6)),
    featureTime_s: Number((featureMs / 1000).toFixed(6)),
    topK,
    hidden,
    groupSize,
    groups,
    chunks,
    nodes: placement.nodes,
    seqLength,
    nullAssignments: nulls,
    backend: backend.active,
    ...(backend.note === undefined ? {} : { backendNote: backend.note }),
    tokenSource: source.description,
    params: router.params,
  };
}
