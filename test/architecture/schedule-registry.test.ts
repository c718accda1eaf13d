// Pipeline schedules are chosen through their registry (src/workloads/pipeline-schedules/registry.ts): every name has
// an entry whose unit order is valid for every pipeline shape its own checks accept (each micro-batch's forward,
// backward and, when split, weight pass exactly once per model chunk, in that order), the scenario schema accepts
// exactly the registry's names, and no source file outside the registry compares schedule names (the check greps src/).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIPELINE_SCHEDULES, parallelismSchema, pipelineScheduleEntry, pipelineScheduleFor } from '../../src/workloads/index.ts';
import type { PipelineScheduleEntry, PipelineUnit } from '../../src/workloads/index.ts';
import { listSourceFiles } from './import-graph.ts';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * What is wrong with a schedule's unit orders over all stages, or undefined when every (micro-batch, model chunk)
 * runs forward, then backward, then (when the schedule splits weight gradients) weight, exactly once, on one stage.
 */
function unitOrderProblem(entry: PipelineScheduleEntry, pp: number, vpp: number, microBatches: number): string | undefined {
  const passes: PipelineUnit['pass'][] = entry.splitsWeightGradients ? ['forward', 'backward', 'weight'] : ['forward', 'backward'];
  const chunks = entry.modelChunks(pp, vpp);
  const state = new Map<string, { stage: number; done: number }>();
  for (let stage = 0; stage < pp; stage++) {
    for (const u of entry.units(stage, pp, vpp, microBatches)) {
      const chunk = entry.chunkOf(stage, u.virtualStage, pp, vpp);
      const key = `mb${u.microBatch} chunk${chunk}`;
      if (!(u.microBatch >= 0 && u.microBatch < microBatches && u.virtualStage >= 0 && u.virtualStage < vpp && chunk >= 0 && chunk < chunks)) return `${key} out of range`;
      const before = state.get(key) ?? { stage, done: 0 };
      if (before.stage !== stage) return `${key} runs on stages ${before.stage} and ${stage}`;
      if (passes[before.done] !== u.pass) return `${key}: ${u.pass} after ${passes.slice(0, before.done).join(', ') || 'nothing'}`;
      state.set(key, { stage, done: before.done + 1 });
    }
  }
  if (state.size !== microBatches * chunks) return `${state.size} (micro-batch, chunk) pairs run, expected ${microBatches * chunks}`;
  return [...state.values()].every((s) => s.done === passes.length) ? undefined : 'a unit without all its passes';
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
            const problem = unitOrderProblem(entry, pp, vpp, microBatches);
            expect(problem, `${name}: pp ${pp}, vpp ${vpp}, ${microBatches} micro-batches`).toBeUndefined();
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
