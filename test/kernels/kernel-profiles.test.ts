// Kernel profiles: every catalog chip names a loadable table, the shipped tile-model tables (Ascend) are the
// documented tile model (hand-checked at a few shapes) and behave physically (monotone, time never falls as m
// grows), loads are cached, memory-op tables load where a profile has one, and users can point a chip at their own
// CSV. Prints the key relative efficiencies on 910B and H100. The measured NVIDIA profiles: vidur-derived-profiles.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GemmEfficiencyTable } from '../../src/kernels/index.ts';
import {
  DERIVED_KERNEL_PROFILES, defaultKernelProfileDirectory, derivedProfileCsv, kernelProfileMemoryOps, kernelProfileTable, listKernelProfiles,
  lookupRelativeEfficiency, parseGemmEfficiencyCsv, relativeGemmEfficiency, tileModelEfficiency, tileModelShippedProfiles,
} from '../../src/kernels/index.ts';
import { kernelChipOf } from '../../src/sim/index.ts';
import { buildCluster, getChip, listChips } from '../../src/topology/index.ts';

const cell = (t: GemmEfficiencyTable, i: number, j: number): number => t.values[i * t.nk.length + j] as number;

describe('kernel profiles in the catalog', () => {
  it('ships one table per hardware generation, each a derived profile', () => {
    expect(listKernelProfiles()).toEqual(['ascend-910a', 'ascend-910b', 'ascend-910c', 'nvidia-ampere', 'nvidia-hopper']);
    expect(Object.keys(DERIVED_KERNEL_PROFILES).sort()).toEqual(listKernelProfiles());
  });

  it('gives every catalog chip a kernel profile that loads', () => {
    const expected: Record<string, string> = {
      '910a': 'ascend-910a', '910b1': 'ascend-910b', '910b2': 'ascend-910b', '910b3': 'ascend-910b', '910b4': 'ascend-910b',
      '910c': 'ascend-910c', a100: 'nvidia-ampere', h100: 'nvidia-hopper', h800: 'nvidia-hopper',
    };
    for (const name of listChips()) {
      expect(getChip(name).kernelProfile, name).toBe(expected[name]);
      expect(kernelProfileTable(getChip(name).kernelProfile).m.length).toBeGreaterThan(1);
    }
  });

  it('fills the chip table in kernelChipOf, read once per process', () => {
    const a2 = kernelChipOf(buildCluster({ preset: 'atlas-800t-a2', servers: 1 }));
    const again = kernelChipOf(buildCluster({ preset: 'atlas-800t-a2', servers: 1 }));
    expect(a2.gemmShapeEfficiency).toBeDefined();
    expect(again.gemmShapeEfficiency).toBe(a2.gemmShapeEfficiency);
    expect(a2.gemmShapeEfficiency).toBe(kernelProfileTable('ascend-910b'));
    expect(kernelChipOf(buildCluster({ preset: 'dgx-h100', servers: 1 })).gemmShapeEfficiency).toBe(kernelProfileTable('nvidia-hopper'));
  });

  it('fills the memory-op table where the profile has one (NVIDIA), none on Ascend', () => {
    const h100 = kernelChipOf(buildCluster({ preset: 'dgx-h100', servers: 1 }));
    expect(h100.memoryOps).toBe(kernelProfileMemoryOps('nvidia-hopper'));
    expect(Object.keys(h100.memoryOps ?? {}).sort()).toEqual(['activation', 'embedding', 'norm', 'residual-add', 'rope']);
    expect(kernelChipOf(buildCluster({ preset: 'dgx-a100', servers: 1 })).memoryOps?.norm).toBeDefined();
    expect(kernelChipOf(buildCluster({ preset: 'atlas-800t-a2', servers: 1 })).memoryOps).toBeUndefined();
    expect(listKernelProfiles().some((name) => name.includes('memory-ops'))).toBe(false);
  });

  it('rejects an unknown profile, listing the known ones', () => {
    expect(() => kernelProfileTable('tpu-v9')).toThrow(/unknown kernel profile "tpu-v9".*known profiles: ascend-910a, ascend-910b.*nvidia-hopper/);
  });

  it('reads a user profile from another directory and reports a malformed one with file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moesim-profiles-'));
    writeFileSync(join(dir, 'measured.csv'), '# my measurements\nm\\min_nk,1024,8192\n128,0.5,0.6\n8192,0.95,1.0\n');
    writeFileSync(join(dir, 'broken.csv'), '# my measurements\nm\\min_nk,1024,8192\n128,0.5\n');
    expect(lookupRelativeEfficiency(kernelProfileTable('measured', dir), 8192, 8192)).toBe(1.0);
    expect(() => kernelProfileTable('broken', dir)).toThrow(/broken\.csv:3: expected 3 cells \(m and 2 values\), got 2/);
  });
});

describe('the shipped tile-model tables are the tile model', () => {
  it('are the Ascend profiles', () => {
    expect(tileModelShippedProfiles()).toEqual(['ascend-910a', 'ascend-910b', 'ascend-910c']);
  });

  for (const name of tileModelShippedProfiles()) {
    it(`${name}: the file matches the model it documents`, () => {
      const shipped = kernelProfileTable(name);
      const model = parseGemmEfficiencyCsv(derivedProfileCsv(name), 'model');
      expect(shipped.m).toEqual(model.m);
      expect(shipped.nk).toEqual(model.nk);
      expect(Array.from(shipped.values)).toEqual(Array.from(model.values));
    });

    it(`${name}: large GEMMs ≈ 1, efficiency never falls as m or min(n,k) grows, and rel(2m) ≤ 2·rel(m)`, () => {
      const t = kernelProfileTable(name);
      const rows = t.m.length;
      const cols = t.nk.length;
      expect(cell(t, rows - 1, cols - 1)).toBeGreaterThan(0.99);
      expect(Math.max(...t.values)).toBeCloseTo(1, 3);
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          if (i > 0) expect(cell(t, i, j)).toBeGreaterThanOrEqual(cell(t, i - 1, j));
          if (j > 0) expect(cell(t, i, j)).toBeGreaterThanOrEqual(cell(t, i, j - 1));
          // Doubling m at most doubles the efficiency, so the compute time m/rel(m) never falls (t.m is powers of 2).
          if (i > 0) expect(cell(t, i, j)).toBeLessThanOrEqual(2 * cell(t, i - 1, j) * (1 + 1e-3));
        }
      }
    });
  }

  it('matches hand calculations of the tile model', () => {
    const b = DERIVED_KERNEL_PROFILES['ascend-910b']!.model;
    const h = DERIVED_KERNEL_PROFILES['nvidia-hopper']!.model;
    // 910B, 128 × 4096: a 128 × 256 tile, 16 tiles on 20 cores: one wave 80% full.
    expect(tileModelEfficiency(b, 128, 4096)).toBeCloseTo(16 / 20, 12);
    // 910B, 16 × 4096: a 16 × 256 tile (reuse 16·256/272 = 15.06 of 64), 16 tiles on 20 cores.
    expect(tileModelEfficiency(b, 16, 4096)).toBeCloseTo((4096 / 272 / 64) * (16 / 20), 12);
    // H100, 128 × 4096: best is 64 × 64 (reuse 32 of 64), 128 tiles on 132 SMs.
    expect(tileModelEfficiency(h, 128, 4096)).toBeCloseTo(0.5 * (128 / 132), 12);
    // H100, 100 × 4096: the 64-row minimum tile pads 100 rows to 128.
    expect(tileModelEfficiency(h, 100, 4096)).toBeCloseTo((100 / 128) * 0.5 * (128 / 132), 12);
    // 4096 × 4096 on H100: 128 × 256 tiles, 512 of them on 132 SMs (4 waves, the last 88% full).
    expect(tileModelEfficiency(h, 4096, 4096)).toBeCloseTo(512 / 528, 12);
  });

  it('prints the relative efficiency at a few shapes (910B and H100)', () => {
    const shapes: [number, number, number][] = [
      [1, 4096, 4096], [16, 4096, 4096], [64, 4096, 4096], [128, 4096, 4096], [256, 4096, 4096], [512, 4096, 4096], [1024, 4096, 4096],
      [4096, 4096, 4096], [4096, 8192, 2048], [4096, 2048, 8192], [8192, 8, 4096], [8192, 64, 4096], [8192, 256, 4096], [16384, 16384, 16384],
    ];
    const lines = ['m × n × k              ascend-910b  nvidia-hopper'];
    for (const [m, n, k] of shapes) {
      const b = relativeGemmEfficiency(kernelProfileTable('ascend-910b'), m, n, k);
      const h = relativeGemmEfficiency(kernelProfileTable('nvidia-hopper'), m, n, k);
      lines.push(`${`${m} × ${n} × ${k}`.padEnd(23)}${b.toFixed(3).padStart(11)}  ${h.toFixed(3).padStart(13)}`);
      expect(b).toBeGreaterThan(0);
      expect(h).toBeGreaterThan(0);
      expect(h).toBeLessThanOrEqual(1.5);
    }
    console.log(`${lines.join('\n')}\n(tables in ${defaultKernelProfileDirectory()})`);
    expect(lookupRelativeEfficiency(kernelProfileTable('ascend-910b'), 128, 4096)).toBeLessThan(lookupRelativeEfficiency(kernelProfileTable('ascend-910b'), 4096, 4096));
  });
});
