// Synthetic router inputs: Zipf-distributed token ids, each id bound to one of C Gaussian clusters,
// with cluster centres that drift from layer to layer so that later layers route differently.
// A transient source (the caller reads each batch before asking for the next) writes every batch into one feature
// buffer: a fresh one per batch costs more in new memory pages than the features themselves (a 4,096-token
// batch of Mixtral is 64 MiB; 32 of them took about 9 s per routing of a plan, a reused buffer about 1 s).
import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import type { TokenBatch, TokenSource, TokenSourceOptions } from './token-batch.ts';
import { ZipfSampler } from './zipf.ts';

export const syntheticTokensSchema = z.strictObject({
  source: z.literal('synthetic'),
  /** Number of Gaussian clusters the token ids are bound to. */
  clusters: z.number().int().positive().default(16),
  /** Zipf exponent of token-id frequency (0 = uniform; about 1 for natural language). */
  zipfExponent: z.number().nonnegative().default(1.0),
  /** Standard deviation of each token's noise around its cluster centre (centres have unit variance per dimension). */
  spread: z.number().nonnegative().default(1.0),
  /** How much of each centre is redrawn per layer: 0 = all layers alike, 1 = independent layers. */
  layerDrift: z.number().min(0).max(1).default(0.5),
});

export type SyntheticTokensConfig = z.output<typeof syntheticTokensSchema>;

export interface SyntheticShape {
  groups: number;
  groupSize: number;
  hidden: number;
  vocab: number;
}

export function createSyntheticTokenSource(config: SyntheticTokensConfig, shape: SyntheticShape, rng: Rng, options: TokenSourceOptions = {}): TokenSource {
  const { clusters, spread, layerDrift } = config;
  const { hidden, vocab } = shape;
  const tokens = shape.groups * shape.groupSize;
  const zipf = new ZipfSampler(vocab, config.zipfExponent);

  const clusterRng = rng.derive('cluster-of-token');
  const clusterOfToken = new Int32Array(vocab);
  for (let id = 0; id < vocab; id++) clusterOfToken[id] = clusterRng.uniformInt(clusters);

  const baseCentres = new Float32Array(clusters * hidden);
  rng.derive('centres').fillNormal(baseCentres, 0, 1);
  const layerCentres = new Map<number, Float32Array>();
  const centresFor = (layer: number): Float32Array => {
    let c = layerCentres.get(layer);
    if (!c) {
      c = new Float32Array(clusters * hidden);
      rng.derive(`centres/layer${layer}`).fillNormal(c, 0, 1);
      const keep = Math.sqrt(1 - layerDrift * layerDrift);
      for (let i = 0; i < c.length; i++) c[i] = keep * baseCentres[i]! + layerDrift * c[i]!;
      layerCentres.set(layer, c);
    }
    return c;
  };

  // Token ids and noise depend on the micro-batch only; keep the latest one (layers of a micro-batch reuse it).
  let cachedMicroBatch = -1;
  const tokenIds = new Int32Array(tokens);
  const noise = new Float32Array(tokens * hidden);
  const prepare = (microBatch: number): void => {
    if (cachedMicroBatch === microBatch) return;
    const idRng = rng.derive(`token-ids/mb${microBatch}`);
    for (let t = 0; t < tokens; t++) tokenIds[t] = zipf.sample(idRng);
    rng.derive(`noise/mb${microBatch}`).fillNormal(noise, 0, spread);
    cachedMicroBatch = microBatch;
  };

  let shared: Float32Array | undefined;
  return {
    description: `synthetic: ${clusters} Gaussian clusters, Zipf(${config.zipfExponent}) token ids over ${vocab}, spread ${spread}, layer drift ${layerDrift}`,
    batch(layer: number, microBatch: number): TokenBatch {
      prepare(microBatch);
      const centres = centresFor(layer);
      const features = options.transient ? (shared ??= new Float32Array(tokens * hidden)) : new Float32Array(tokens * hidden);
      for (let t = 0; t < tokens; t++) {
        const c = clusterOfToken[tokenIds[t]!]! * hidden;
        const row = t * hidden;
        for (let j = 0; j < hidden; j++) features[row + j] = centres[c + j]! + noise[row + j]!;
      }
      return { features, tokenIds: tokenIds.slice(), groups: shape.groups, groupSize: shape.groupSize, hidden };
    },
  };
}
