// Pipeline schedules are chosen through their registry (src/workloads/pipeline-schedules/registry.ts): every name has
// an entry whose unit order is valid for every pipeline shape its own checks accept (each micro-batch's forward and
// backward exactly once per virtual stage, the forward first), the scenario schema accepts exactly the registry's
// names, and no source file outside the registry compares schedule names (the check greps src/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SCHEDULES, parallelismSchema, pipelineScheduleEntry, pipelineScheduleFor } from '../../src/workloads/index.ts';
import type { PipelineUnit } from '../../src/workloads/index.ts';
import { listSourceFiles } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** What is wrong with a stage's unit order, or undefined when every (micro-batch, chunk) runs forward, then backward, once. */
function unitOrderProblem(units: readonly PipelineUnit[], vpp: number, microBatches: number): string | undefined {
  if (units.length !== 2 * microBatches * vpp) return `${units.length} units, expected ${2 * microBatches * vpp}`;
  const state = new Map<string, 'forward' | 'backward'>();
  for (const u of units) {
    const key = `mb${u.microBatch} v${u.virtualStage}`;
    if (!(u.microBatch >= 0 && u.microBatch < microBatches && u.virtualStage >= 0 && u.virtualStage < vpp)) return `${key} out of range`;
    const before = state.get(key);
    if (u.pass === 'forward' && before !== undefined) return `${key}: a second forward`;
    if (u.pass === 'backward' && before !== 'forward') return `${key}: backward ${before === 'backward' ? 'twice' : 'before its forward'}`;
    state.set(key, u.pass);
  }
  return [...state.values()].every((p) => p === 'backward') ? undefined : 'a forward without its backward';
}

describe('pipeline schedule registry', () => {
  it('has an entry, named as its key, with a description, for every name', () => {
    for (const name of PIPELINE_SCHEDULES) {
      const entry = pipelineScheduleEntry(name);
      expect(entry.name).toBe(name);
      expect(entry.description.length).toBeGreaterThan(20);
      expect(entry.description).not.toContain('\n');
    }
  });

  it('builds, for every entry and every pipeline shape it accepts, a valid unit order on every stage', () => {
    for (const name of PIPELINE_SCHEDULES) {
      const entry = pipelineScheduleEntry(name);
      let accepted = 0;
      for (let pp = 1; pp <= 6; pp++) {
        for (let vpp = 1; vpp <= 3; vpp++) {
          if (entry.checkStages(pp, vpp) !== undefined) continue;
          for (let microBatches = 1; microBatches <= 13; microBatches++) {
            if (entry.checkMicroBatches(pp, vpp, microBatches) !== undefined) continue;
            accepted++;
            for (let stage = 0; stage < pp; stage++) {
              const problem = unitOrderProblem(entry.units(stage, pp, vpp, microBatches), vpp, microBatches);
              expect(problem, `${name}: pp ${pp}, vpp ${vpp}, ${microBatches} micro-batches, stage ${stage}`).toBeUndefined();
            }
          }
        }
      }
      expect(accepted, `${name} accepts some shapes`).toBeGreaterThan(5);
    }
  });

  it('picks the schedule a layout names, or by default 1f1b without virtual stages and interleaved with them', () => {
    expect(pipelineScheduleFor({ vpp: 1 }).name).toBe('1f1b');
    expect(pipelineScheduleFor({ vpp: 2 }).name).toBe('interleaved');
    for (const name of PIPELINE_SCHEDULES) expect(pipelineScheduleFor({ vpp: 2, schedule: name }).name).toBe(name);
  });

  it('lets the scenario name exactly the registry\'s schedules', () => {
    const base = { dp: 2, globalBatch: 4 };
    for (const name of PIPELINE_SCHEDULES) expect(parallelismSchema.parse({ ...base, schedule: name }).schedule).toBe(name);
    expect(parallelismSchema.safeParse({ ...base, schedule: 'gpipe' }).success).toBe(false);
    expect('schedule' in parallelismSchema.parse(base)).toBe(false); // absent unless given: outputs echo nothing new
  });

  it('is the only place in src/ that tests schedule names', () => {
    const offending: string[] = [];
    const names = PIPELINE_SCHEDULES.join('|');
    const pattern = new RegExp(`[!=]==\\s*'(${names})'|'(${names})'\\s*[!=]==|case\\s+'(${names})'`);
    for (const file of listSourceFiles(srcDir)) {
      const where = relative(srcDir, file);
      if (where === 'workloads/pipeline-schedules/registry.ts' || where === 'workloads/pipeline-schedules/schedule-types.ts') continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => { if (pattern.test(line)) offending.push(`${where}:${i + 1}: ${line.trim()}`); });
    }
    expect(offending).toEqual([]);
  });
});
