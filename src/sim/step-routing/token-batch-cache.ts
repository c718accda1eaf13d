// A per-process cache of token batches, which sweeps and plans pass to runScenario: points that differ only in
// router, capacity factor or anything else that does not change the token source's inputs (its config, the seed
// and the routed shape) reuse the generated features instead of regenerating them. Exact: a token source is
// deterministic for (config, seed, shape, layer, micro-batch) — "the same arguments give the same bytes"
// (TokenSource) — and routers never write to their inputs, so a cached batch is the batch an uncached run would
// generate (a test compares whole runs).
import type { TokenBatch, TokenSource, TokenStepShape } from '../../workloads/index.ts';

interface Entry {
  key: string;
  source: Promise<TokenSource>;
  batches: Map<string, TokenBatch>;
  bytes: number;
}

export interface TokenBatchCacheOptions {
  /** Token sources kept (least recently used dropped first). */
  maxSources?: number;
  /** Feature bytes kept over all sources; past it batches are generated but not kept. */
  maxBytes?: number;
}

export class TokenBatchCache {
  private readonly entries: Entry[] = [];
  private readonly maxSources: number;
  private readonly maxBytes: number;
  /** Batches served from the cache and batches generated (for tests and benchmarks). */
  hits = 0;
  misses = 0;

  constructor(options: TokenBatchCacheOptions = {}) {
    this.maxSources = options.maxSources ?? 2;
    this.maxBytes = options.maxBytes ?? 768 * 2 ** 20;
  }

  private totalBytes(): number {
    return this.entries.reduce((s, e) => s + e.bytes, 0);
  }

  /**
   * The token source for (tokens config, seed, shape), wrapped so every batch is generated once. `create` builds
   * the real source when this key is new.
   */
  async source(tokens: unknown, seed: number, shape: TokenStepShape, create: () => Promise<TokenSource>): Promise<TokenSource> {
    const key = JSON.stringify({ tokens, seed, shape });
    let index = this.entries.findIndex((e) => e.key === key);
    if (index < 0) {
      this.entries.unshift({ key, source: create(), batches: new Map(), bytes: 0 });
      this.entries.length = Math.min(this.entries.length, this.maxSources);
      index = 0;
    } else if (index > 0) {
      this.entries.unshift(...this.entries.splice(index, 1));
    }
    const entry = this.entries[0] as Entry;
    let inner: TokenSource;
    try {
      inner = await entry.source;
    } catch (err) {
      this.entries.splice(this.entries.indexOf(entry) >>> 0, 1);
      throw err;
    }
    return {
      description: inner.description,
      batch: (layer: number, microBatch: number): TokenBatch => {
        const k = `${layer}/${microBatch}`;
        const hit = entry.batches.get(k);
        if (hit) {
          this.hits++;
          return hit;
        }
        this.misses++;
        const batch = inner.batch(layer, microBatch);
        const bytes = batch.features.byteLength + batch.tokenIds.byteLength;
        if (this.totalBytes() + bytes <= this.maxBytes) {
          entry.batches.set(k, batch);
          entry.bytes += bytes;
        }
        return batch;
      },
    };
  }
}
