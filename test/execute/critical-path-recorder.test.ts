// The critical-path recorder: merged kernel runs give the walk the same times as one segment per kernel, storage
// grows past its first capacity, and a walk follows collectives back to the device that started them.
import { describe, expect, it } from 'vitest';
import { CriticalPathRecorder } from '../../src/execute/critical-path.ts';

describe('critical-path recorder', () => {
  it('merges consecutive same-label kernels of one run and walks to the same times as unmerged segments', () => {
    const kernels = Array.from({ length: 10_000 }, (_, i) => ({ label: `compute:${['attention', 'expert', 'expert', 'norm'][i % 4]}:${i % 3 === 0 ? 'forward' : 'backward'}`, ns: 1 + (i % 7) }));
    const merged = new CriticalPathRecorder(1);
    const plain = new CriticalPathRecorder(1);
    let t = 0;
    let runFrom = 0; // the first segment index of the current run of compute
    kernels.forEach((k, i) => {
      if (i % 50 === 0) { // a collective between runs of compute, started by this device
        for (const p of [merged, plain]) p.lastOf[0] = p.add(t, t + 5, 'comm:tp', p.lastOf[0] as number);
        t += 5;
        runFrom = merged.size;
      }
      merged.lastOf[0] = merged.addOrExtend(t, t + k.ns, merged.labelId(k.label), merged.lastOf[0] as number, runFrom);
      plain.lastOf[0] = plain.add(t, t + k.ns, k.label, plain.lastOf[0] as number);
      t += k.ns;
    });
    const a = merged.walk(merged.lastOf[0] as number);
    const b = plain.walk(plain.lastOf[0] as number);
    expect(a.computeNs).toEqual(b.computeNs);
    expect(a.computeByPassNs).toEqual(b.computeByPassNs);
    expect(a.commNs).toEqual({ tp: 5 * 200 });
    expect(a.gapNs).toBe(0);
    expect(b.segments).toBe(10_200);
    expect(a.segments).toBeLessThan(b.segments);
    expect(merged.size).toBe(a.segments);
  });

  it('never merges across runs of compute, nor kernels that do not touch', () => {
    const r = new CriticalPathRecorder(1);
    const id = r.labelId('compute:expert:forward');
    const first = r.addOrExtend(0, 10, id, -1, 0);
    expect(r.addOrExtend(10, 20, id, first, 0)).toBe(first);
    expect(r.addOrExtend(20, 30, id, first, 1)).toBe(1); // a new run starts at index 1
    expect(r.addOrExtend(35, 40, id, 1, 0)).toBe(2); // a gap of 5 ns
    const path = r.walk(2);
    expect(path.computeNs).toEqual({ expert: 35 });
    expect(path.gapNs).toBe(5);
    expect(path.segments).toBe(3);
  });

  it('follows a collective back to the device that arrived last', () => {
    const r = new CriticalPathRecorder(2);
    r.lastOf[0] = r.add(0, 100, 'compute:attention:forward', -1);
    r.lastOf[1] = r.add(0, 40, 'compute:attention:forward', -1);
    const c = r.add(100, 130, 'comm:ep-dispatch', r.lastOf[0] as number); // device 0 arrived last
    r.lastOf[1] = r.add(130, 150, 'compute:expert:forward', c);
    expect(r.walk(r.lastOf[1] as number)).toEqual({ computeNs: { expert: 20, attention: 100 }, computeByPassNs: { forward: 120 }, commNs: { 'ep-dispatch': 30 }, gapNs: 0, segments: 3 });
  });
});
