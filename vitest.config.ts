// Vitest configuration: forks pool (tfjs-wasm is happiest in its own process), generous timeouts for e2e runs, one
// worker per core, and the slowest files first. Vitest's default leaves a core free (one worker on a 2-core machine:
// 389 s of vitest time here, 256 s with two, on 2026-12-07), and on a fresh clone, with no timings cached, it starts
// the largest files first, which would leave the 2-minute Pangu Ultra MoE validation file (a small file) to the end.
import { availableParallelism } from 'node:os';
import type { TestSpecification } from 'vitest/node';
import { BaseSequencer } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/** Files that take longest (measured), started before the rest so that the others share the remaining workers. */
const SLOWEST_FIRST = [
  'test/validation/throughput-pangu-ultra.test.ts',
  'test/validation/throughput-pangu-ultra-135b.test.ts',
  'test/validation/locmoe-plus.test.ts',
];

class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = SLOWEST_FIRST.findIndex((name) => f.moduleId.endsWith(name));
      return i < 0 ? SLOWEST_FIRST.length : i;
    };
    return sorted.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: Math.max(1, availableParallelism()),
    sequence: { sequencer: SlowestFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
