// Where a report goes, checked before any work, and written so that no half-written report looks complete.
// checkReportDir refuses, up front, a target that is a file, sits under /proc or /sys, or lies where nothing can be
// created. writeReportFiles renders the report into a fresh directory beside the target, then moves its files in:
// first the old commit file (summary.json) goes, then every new file but it, then the files an earlier report of
// the same kind left and this one does not write (trace.json after --no-trace), and the commit file last. A killed
// run leaves either the old report whole or no summary.json. A directory holding other files is refused unless
// `force`, which leaves them be.
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError } from '../../engine/index.ts';

/** Throws an InputError naming `field` when `dir` cannot receive a report. */
export function checkReportDir(dir: string, field = '--out'): void {
  const full = resolve(dir);
  for (const pseudo of ['/proc', '/sys']) {
    if (full === pseudo || full.startsWith(`${pseudo}${sep}`)) throw new InputError(`${field}: ${dir} is under ${pseudo}, which holds no files; choose a directory on disk`, field);
  }
  let at = full;
  while (!existsSync(at)) at = dirname(at);
  if (!statSync(at).isDirectory()) throw new InputError(`${field}: ${at} is a file, so ${dir} cannot be a report directory; choose another path`, field);
  try {
    accessSync(at, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`${field}: ${at} is not writable, so ${dir} cannot be created or filled; choose a writable directory`, field);
  }
}

/** What a kind of report writes at the top of its directory, and what else may share the directory. */
export interface ReportLayout {
  /** The file written last (its absence marks an incomplete report). */
  commit: string;
  /** Every top-level name this kind of report may write (files, or directories such as charts). */
  names: readonly string[];
  /** Names other reports put in the same directory (a run's compare/ and sweep/ subdirectories). */
  neighbours?: readonly string[];
}

let staged = 0;

/** checkReportDir, and a directory already there must hold only this layout's files (or its neighbours), unless `force`. */
export function checkReportTarget(dir: string, layout: ReportLayout, options: { force?: boolean | undefined; field?: string | undefined } = {}): void {
  const field = options.field ?? '--out';
  checkReportDir(dir, field);
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`${field}: ${dir} is a file; choose a directory`, field);
    const allowed = new Set([...layout.names, ...(layout.neighbours ?? [])]);
    const foreign = readdirSync(dir).filter((name) => !allowed.has(name) && !name.startsWith('.'));
    if (foreign.length > 0 && options.force !== true) {
      throw new InputError(`${field}: ${dir} holds files that are not part of a moesim report (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); choose another directory, or pass --force to write beside them`, field);
    }
  }
}

/** Writes a report with `fill(into)` (it writes under `into` and returns the paths); returns those paths under `dir`. */
export function writeReportFiles(dir: string, layout: ReportLayout, fill: (into: string) => string[], options: { force?: boolean; field?: string } = {}): string[] {
  checkReportTarget(dir, layout, options);
  const full = resolve(dir);
  mkdirSync(dirname(full), { recursive: true });
  const tmp = join(dirname(full), `.${basename(full)}.${process.pid}.${++staged}.tmp`);
  mkdirSync(tmp);
  try {
    const written = fill(tmp);
    const final = (path: string): string => join(dir, relative(tmp, path));
    mkdirSync(dir, { recursive: true });
    rmSync(join(dir, layout.commit), { force: true });
    const commit = written.find((path) => relative(tmp, path) === layout.commit);
    for (const path of written) {
      if (path === commit) continue;
      mkdirSync(dirname(final(path)), { recursive: true });
      moveFile(path, final(path));
    }
    removeStale(dir, layout, new Set(written.map((path) => relative(tmp, path))));
    if (commit !== undefined) moveFile(commit, final(commit));
    return written.map(final);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Rename, or copy and delete when the target is on another filesystem (the report directory is a symlink elsewhere). */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

/** Files of the layout's names (and inside its directories) that this report did not write. */
function removeStale(dir: string, layout: ReportLayout, written: ReadonlySet<string>): void {
  for (const name of layout.names) {
    const path = join(dir, name);
    if (!existsSync(path) || name === layout.commit) continue;
    if (statSync(path).isDirectory()) {
      for (const inner of readdirSync(path)) if (!written.has(join(name, inner))) rmSync(join(path, inner), { recursive: true, force: true });
    } else if (!written.has(name)) rmSync(path, { force: true });
  }
}
