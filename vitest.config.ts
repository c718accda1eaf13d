// Vitest configuration: forks pool (tfjs-wasm is happiest in its own process), files sharing each worker's loaded
// modules (except those that mock a module), generous timeouts for e2e runs, one worker per core, and the slowest
// files first. Vitest's default leaves a core free (one worker on a 2-core machine:
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
  'test/validation/issue17-published-runs.test.ts',
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

/** Files that replace a module with vi.mock: they need a fresh module graph, so they run isolated. */
const MOCKING = ['test/routing/trace-replay-no-tfjs.test.ts'];

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: Math.max(1, availableParallelism()),
    sequence: { sequencer: SlowestFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A worker process runs file after file with the modules it has already loaded (isolate: false): importing the
    // source tree afresh for every file was 161 s of a 367 s run on this machine (2026-12-08), 15 s without.
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false } },
      { extends: true, test: { name: 'isolated', include: MOCKING, isolate: true } },
    ],
  },
});
