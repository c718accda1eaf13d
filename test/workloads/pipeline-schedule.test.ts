// Pipeline schedules (1F1B and interleaved): every (micro-batch, chunk) runs forward then backward exactly once per
// stage, the warm-up depth matches Megatron's, and a property check over random shapes keeps dependencies sane.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pipelineSchedule } from '../../src/workloads/index.ts';

describe('pipelineSchedule', () => {
  it('1F1B: stage s warms up with pp − s − 1 forwards, then alternates, then drains', () => {
    const s0 = pipelineSchedule(0, 4, 1, 6).map((u) => `${u.pass[0]}${u.microBatch}`).join(' ');
    expect(s0).toBe('f0 f1 f2 f3 b0 f4 b1 f5 b2 b3 b4 b5');
    const s3 = pipelineSchedule(3, 4, 1, 6).map((u) => `${u.pass[0]}${u.microBatch}`).join(' ');
    expect(s3).toBe('f0 b0 f1 b1 f2 b2 f3 b3 f4 b4 f5 b5');
    // Fewer micro-batches than stages: all forwards, then all backwards.
    expect(pipelineSchedule(0, 4, 1, 2).map((u) => u.pass)).toEqual(['forward', 'forward', 'backward', 'backward']);
  });

  it('interleaved: chunks cycle in groups of pp micro-batches, backward runs chunks in reverse', () => {
    const units = pipelineSchedule(0, 2, 2, 4);
    const forwards = units.filter((u) => u.pass === 'forward').map((u) => `${u.microBatch}.${u.virtualStage}`);
    expect(forwards).toEqual(['0.0', '1.0', '0.1', '1.1', '2.0', '3.0', '2.1', '3.1']);
    const backwards = units.filter((u) => u.pass === 'backward').map((u) => `${u.microBatch}.${u.virtualStage}`);
    expect(backwards).toEqual(['0.1', '1.1', '0.0', '1.0', '2.1', '3.1', '2.0', '3.0']);
    // Warm-up of stage 0: (pp − 1)·2 + (vpp − 1)·pp = 4 forwards, then the steady phase's forward, then a backward.
    expect(units.findIndex((u) => u.pass === 'backward')).toBe(5);
    expect(pipelineSchedule(1, 2, 2, 4).findIndex((u) => u.pass === 'backward')).toBe(3);
    expect(() => pipelineSchedule(0, 2, 2, 3)).toThrow(/not a multiple of pp = 2/);
  });

  it('runs each (micro-batch, chunk) forward once and later backward once, for any shape (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.nat(5), (pp, vpp, groups, stageSeed) => {
      const microBatches = vpp > 1 ? groups * pp : groups + pp;
      const stage = stageSeed % pp;
      const units = pipelineSchedule(stage, pp, vpp, microBatches);
      expect(units).toHaveLength(2 * microBatches * vpp);
      const seen = new Map<string, number>();
      units.forEach((u, i) => {
        const key = `${u.microBatch}.${u.virtualStage}`;
        if (u.pass === 'forward') {
          expect(seen.has(key)).toBe(false);
          seen.set(key, i);
        } else {
          expect(seen.get(key)).toBeLessThan(i);
          seen.set(key, -1);
        }
      });
      expect([...seen.values()].every((v) => v === -1)).toBe(true);
    }), { numRuns: 200, seed: 11 });
  });
});
