// Reports that do not lie (issue 18, part): the output directory is checked before any simulation (a file, /proc,
// a directory of someone else's files: one line, exit 2, at once), a report is rendered beside its target and moved
// in with summary.json last, files an earlier run left and this one does not write are removed, and a report whose
// rendering fails leaves the earlier report whole and no staging directory behind.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_REPORT_LAYOUT, writeReportFiles } from '../../src/report/index.ts';
import { defaultScenarioWith, expectOneLineError, runCli, tempDir, writeScenario } from '../helpers/run-cli.ts';

const quick = writeScenario(defaultScenarioWith('  preset: tiny-moe          # catalog/models/tiny-moe.yaml', '  preset: tiny-moe\n  overrides: { seqLength: 256 }'));

describe('report output', () => {
  it('refuses a file, a path under a file, /proc and a directory of other files before simulating', async () => {
    const root = tempDir('report-out');
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    const started = Date.now();
    // The Mixtral scenario takes minutes to simulate: each refusal must come before it.
    const mixtral = 'scenarios/mixtral-8x7b-910b3-32.yaml';
    expectOneLineError(await runCli('run', mixtral, '-q', '-o', file), /--out: .*a-file is a file/);
    expectOneLineError(await runCli('run', mixtral, '-q', '-o', join(file, 'sub')), /--out: .*a-file is a file/);
    expectOneLineError(await runCli('run', mixtral, '-q', '-o', '/proc/moesim'), /--out: \/proc\/moesim is under \/proc/);
    expectOneLineError(await runCli('compare', mixtral, '--routers', 'gshard,switch', '-q', '-o', file), /--out: .*a-file is a file/);
    expectOneLineError(await runCli('sweep', mixtral, '--set', 'seed=1,2', '-q', '-o', '/proc/moesim'), /--out: \/proc\/moesim is under \/proc/);
    const theirs = join(root, 'theirs');
    mkdirSync(theirs);
    writeFileSync(join(theirs, 'thesis.tex'), 'x');
    expectOneLineError(await runCli('run', mixtral, '-q', '-o', theirs), /--out: .*theirs holds files that are not part of a moesim report \(thesis\.tex\); .*--force/);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('replaces an earlier report without leaving its files, and --force writes beside files it does not own', async () => {
    const dir = join(tempDir('report-rerun'), 'report');
    expect((await runCli('run', quick, '-q', '-o', dir)).code).toBe(0);
    expect(existsSync(join(dir, 'trace.json'))).toBe(true);
    expect((await runCli('run', quick, '-q', '--no-trace', '-o', dir)).code).toBe(0);
    expect(existsSync(join(dir, 'trace.json'))).toBe(false); // the first run's trace would describe another run
    expect(existsSync(join(dir, 'summary.json'))).toBe(true);
    expect(readdirSync(join(dir, '..')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    expectOneLineError(await runCli('run', quick, '-q', '-o', dir), /notes\.txt/);
    expect((await runCli('run', quick, '-q', '--force', '-o', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  }, 60_000);

  it('a report whose rendering fails leaves the earlier one whole and nothing staged', () => {
    const root = tempDir('report-fail');
    const dir = join(root, 'report');
    writeReportFiles(dir, RUN_REPORT_LAYOUT, (into) => ['summary.json', 'index.html'].map((name) => {
      writeFileSync(join(into, name), `old ${name}`);
      return join(into, name);
    }));
    expect(() => writeReportFiles(dir, RUN_REPORT_LAYOUT, (into) => {
      writeFileSync(join(into, 'summary.json'), 'new');
      throw new Error('killed while rendering the charts');
    })).toThrow(/killed/);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).toBe('old summary.json');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('old index.html');
    expect(readdirSync(root)).toEqual(['report']);
  });

  it('writes through a report directory that is a symlink to another filesystem (renames cross it by copying)', () => {
    const elsewhere = '/dev/shm';
    if (!existsSync(elsewhere)) return; // no second filesystem to cross here
    const target = mkdtempSync(join(elsewhere, 'moesim-report-'));
    try {
      const link = join(tempDir('report-link'), 'report');
      symlinkSync(target, link);
      const files = writeReportFiles(link, RUN_REPORT_LAYOUT, (into) => ['summary.json', 'index.html'].map((name) => {
        writeFileSync(join(into, name), name);
        return join(into, name);
      }));
      expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(['summary.json', 'index.html']);
      expect(readdirSync(target).sort()).toEqual(['index.html', 'summary.json']);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });
});
