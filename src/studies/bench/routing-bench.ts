// Routing benchmark (`moesim bench routing`): GShard top-2 (secondExpert: always, capacity factor 1.25) over
// N tokens (default 1,048,576), d = 1024, 64 experts, routing groups of 4,096, on tfjs (wasm by default).
// What is measured: a pool of 65,536 tokens' synthetic features (16 clusters, Zipf ids) is generated once
// (featureTime_s, not timed as routing); the N tokens are routed as ceil(N / 65,536) passes over that pool, pass p
// with layer p's gate (a different seeded gating matrix, so decisions differ from pass to pass), each pass in
// chunks of 16,384 tokens (4 groups) handed to router.route() as views of the pool (no copies). routingTime_s is
// the wall time of all route() calls (tensor upload, X·W, softmax, top-2, capacity in JS); one warm-up route of
// one group (an unused layer) runs first and is not counted. gflops = 2·N·d·E / routingTime_s (the X·W FLOPs).
import { performance } from 'node:perf_hooks';
import { Rng } from '../../engine/index.ts';
import type { BackendName } from '../../routing/index.ts';
import { createRouter, initTfBackend } from '../../routing/index.ts';
import { CL100K_VOCAB, createSyntheticTokenSource } from '../../workloads/index.ts';
import { accumulateDecision, maxOverMean } from './route-tokens.ts';

export interface RoutingBenchOptions {
  /** Tokens routed (a multiple of 4,096; default 1,048,576). */
  tokens?: number;
  backend?: BackendName;
  seed?: number;
}

export interface RoutingBenchResult {
  tokens: number;
  hidden: number;
  experts: number;
  topK: number;
  routingTime_s: number;
  tokensPerSecond: number;
  gflops: number;
  featureTime_s: number;
  router: string;
  groupSize: number;
  poolTokens: number;
  passes: number;
  chunkTokens: number;
  dropped: number;
  computed: number;
  maxOverMean: number;
  backend: string;
}

export const ROUTING_BENCH = { hidden: 1024, experts: 64, topK: 2, groupSize: 4096, poolTokens: 65_536, chunkTokens: 16_384, defaultTokens: 1_048_576 } as const;

export async function runRoutingBenchmark(options: RoutingBenchOptions = {}): Promise<RoutingBenchResult> {
  const { hidden, experts, topK, groupSize, poolTokens, chunkTokens } = ROUTING_BENCH;
  const tokens = options.tokens ?? ROUTING_BENCH.defaultTokens;
  if (!Number.isInteger(tokens) || tokens <= 0 || tokens % groupSize !== 0) throw new RangeError(`routing bench: tokens must be a positive multiple of ${groupSize}`);
  const backend = await initTfBackend(options.backend ?? 'wasm');
  const rng = new Rng(options.seed ?? 1);

  const poolSize = Math.min(poolTokens, tokens);
  const f0 = performance.now();
  const source = createSyntheticTokenSource(
    { source: 'synthetic', clusters: 16, zipfExponent: 1, spread: 1, layerDrift: 0.5 },
    { groups: poolSize / groupSize, groupSize, hidden, vocab: CL100K_VOCAB },
    rng.derive('tokens'),
  );
  const pool = source.batch(0, 0);
  const featureTime = (performance.now() - f0) / 1000;

  const router = createRouter('gshard', { secondExpert: 'always' }, { numExperts: experts, topK, hidden, rng: rng.derive('router/gshard') });
  const view = (start: number, count: number): { features: Float32Array; tokenIds: Int32Array; groups: number; groupSize: number; hidden: number } => ({
    features: pool.features.subarray(start * hidden, (start + count) * hidden),
    tokenIds: pool.tokenIds.subarray(start, start + count),
    groups: count / groupSize,
    groupSize,
    hidden,
  });
  router.route(view(0, groupSize), 1_000_000, 0); // warm-up (wasm kernels, allocator); not counted

  const perExpert = new Float64Array(experts);
  let computed = 0;
  let dropped = 0;
  let routeMs = 0;
  let routed = 0;
  let pass = 0;
  while (routed < tokens) {
    for (let start = 0; start < poolSize && routed < tokens; start += chunkTokens) {
      const count = Math.min(chunkTokens, poolSize - start, tokens - routed);
      const input = view(start, count);
      const t0 = performance.now();
      const decision = router.route(input, pass, start / chunkTokens);
      routeMs += performance.now() - t0;
      const c = accumulateDecision(decision, perExpert);
      computed += c.computed;
      dropped += c.dropped;
      routed += count;
    }
    pass++;
  }
  const routingTime = routeMs / 1000;
  return {
    tokens,
    hidden,
    experts,
    topK,
    routingTime_s: Number(routingTime.toPrecision(6)), // six significant digits: tokensPerSecond and gflops agree with it
    tokensPerSecond: Math.round(tokens / routingTime),
    gflops: Number(((2 * tokens * hidden * experts) / routingTime / 1e9).toFixed(2)),
    featureTime_s: Number(featureTime.toPrecision(6)),
    router: 'gshard (secondExpert: always, capacityFactor 1.25)',
    groupSize,
    poolTokens: poolSize,
    passes: pass,
    chunkTokens,
    dropped,
    computed,
    maxOverMean: Number(maxOverMean(Array.from(perExpert)).toFixed(4)),
    backend: backend.active,
  };
}
