// The paper-validation report: the headline (median and mean |error| of the held-out accuracy cases) first, then
// one table per kind of case (case | published | moesim | error | tolerance | pass), printed and in
// output/validation/report.md (with the known gaps, their reasons and recorded bands, and any failures), and
// report.json. Deterministic bytes: no dates or wall times in the files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, ErrorStats, ValidationReport, ValidationSummary } from '../../studies/index.ts';
import { scatterPredictedVsPublished, svgToPng } from '../charts/index.ts';
import { toJsonText } from '../common/json-text.ts';

/** The headline lines, printed before anything else. */
export function validationHeadline(s: ValidationSummary): string[] {
  const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');
  const statusText = (k: { pass: number; fail: number; knownGap: number; improved: number }): string =>
    `${k.pass} pass, ${k.fail} fail, ${k.knownGap} known gap${k.knownGap === 1 ? '' : 's'}${k.improved > 0 ? `, ${k.improved} improved (update the registry)` : ''}`;
  const h = s.heldOutAccuracy;
  const c = s.calibrationAccuracy;
  const scope = (name: string, e: ErrorStats): string => `${name}: median ${pct(e.medianAbsError)}, mean ${pct(e.meanAbsError)} over ${e.measured}`;
  const lines = [
    `held-out accuracy: median |error| ${pct(h.error.medianAbsError)}, mean |error| ${pct(h.error.meanAbsError)} over ${h.error.measured} of ${h.cases} cases (${statusText(h)})`,
    `  of which ${scope('whole training steps', s.heldOutAccuracyByScope.step)}; ${scope('single kernels and collectives', s.heldOutAccuracyByScope.component)}`,
    `calibration accuracy: median |error| ${pct(c.error.medianAbsError)}, mean |error| ${pct(c.error.meanAbsError)} over ${c.error.measured} of ${c.cases} cases (${statusText(c)})`,
  ];
  for (const k of s.others) {
    if (k.kind === 'consistency') continue;
    lines.push(`${k.kind}: ${k.cases} case${k.cases === 1 ? '' : 's'} (${statusText(k)})`);
  }
  lines.push(`consistency (true by construction, not counted as validation): ${s.consistency.cases} cases, ${s.consistency.pass} pass, ${s.consistency.fail} fail`);
  lines.push(`all counted cases: ${s.counts.cases} (${statusText(s.counts)})`);
  return lines;
}

/** A value in its case's unit, as the table shows it. */
export function formatCaseValue(value: number, unit: CaseResult['unit']): string {
  if (!Number.isFinite(value)) return 'n/a';
  switch (unit) {
    case '%':
      return `${(value * 100).toFixed(2)}%`;
    case '×':
      return `${value.toFixed(3)}×`;
    case 'GFLOPs':
      return `${value.toFixed(2)}G`;
    case 'GB/s':
      return `${value.toFixed(1)} GB/s`;
    case 'tokens/s':
      return Math.round(value).toLocaleString('en-US');
    case 'ms':
    case 'µs':
      return `${value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(4)} ${unit}`;
  }
}

/** The error as the table shows it: signed %, signed percentage points, or the distance outside a range. */
export function formatCaseError(r: CaseResult): string {
  if (!Number.isFinite(r.error)) return 'n/a';
  if (r.toleranceText.startsWith('±') && r.toleranceText.endsWith('pp')) return `${r.error >= 0 ? '+' : ''}${(r.error * 100).toFixed(2)} pp`;
  if (r.toleranceText.startsWith('±')) return `${r.error >= 0 ? '+' : ''}${(r.error * 100).toFixed(1)}%`;
  if (r.error === 0) return 'inside';
  const outside = formatCaseValue(Math.abs(r.error), r.unit === '×' ? '×' : r.unit);
  return `${r.error > 0 ? 'above by' : 'below by'} ${outside}`;
}

interface Column { title: string; cell: (r: CaseResult) => string; right?: boolean }

const STATUS_TEXT: Record<CaseResult['status'], string> = { pass: 'yes', fail: 'NO', 'known gap': 'known gap', improved: 'improved' };

const COLUMNS: Column[] = [
  { title: 'case', cell: (r) => r.id },
  { title: 'published', cell: (r) => r.publishedText, right: true },
  { title: 'moesim', cell: (r) => formatCaseValue(r.predicted, r.unit), right: true },
  { title: 'error', cell: formatCaseError, right: true },
  { title: 'tolerance', cell: (r) => r.toleranceText, right: true },
  { title: 'pass', cell: (r) => STATUS_TEXT[r.status] },
];

/**
 * The cases of each table: accuracy split by role (held-out first), then every other kind whole, in the order of the
 * summary's other kinds (validation-summary.ts).
 */
function caseGroups(report: ValidationReport): { title: string; cases: CaseResult[] }[] {
  const { cases } = report;
  const groups = [
    { title: 'accuracy, held out', cases: cases.filter((r) => r.kind === 'accuracy' && r.role === 'held-out') },
    { title: 'accuracy, calibration', cases: cases.filter((r) => r.kind === 'accuracy' && r.role === 'calibration') },
    ...report.summary.others.map(({ kind: k }) => ({
      title: k === 'consistency' ? 'consistency (true by construction; not counted as validation)' : k,
      cases: cases.filter((r) => r.kind === k),
    })),
  ];
  return groups.filter((g) => g.cases.length > 0);
}

/** One line per case that failed for another reason than its error: a crash, or a prediction that is not finite. */
function failureLines(cases: CaseResult[]): string[] {
  return cases.filter((r) => r.failure !== undefined).map((r) => `FAILED ${r.id}: ${r.failure as string}`);
}

/** The printed report: the headline first, then one aligned table per kind of case, then any failures. */
export function validationTable(report: ValidationReport): string {
  const cells = report.cases.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string => row.map((text, i) => ((COLUMNS[i] as Column).right ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [...validationHeadline(report.summary), ''];
  for (const g of caseGroups(report)) {
    out.push(`${g.title}:`, line(COLUMNS.map((c) => c.title)), ...g.cases.map((r) => line(COLUMNS.map((c) => c.cell(r)))), '');
  }
  out.push(...failureLines(report.cases));
  return out.join('\n').trimEnd() + '\n';
}

function markdownTable(cases: CaseResult[]): string[] {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.map((c) => c.title).join(' | ')} | paper |`,
    `|${COLUMNS.map((c) => (c.right ? '---:' : '---')).join('|')}|---|`,
    ...cases.map((r) => `| ${COLUMNS.map((c) => esc(c.cell(r))).join(' | ')} | ${esc(r.paper)} |`),
  ];
}

/** report.md: the headline, one table per kind of case, the failures, the known gaps and the MFU cases' bases. */
export function validationMarkdown(report: ValidationReport, chartFile?: string): string {
  const lines = [
    '# moesim against published results',
    '',
    'Produced by `moesim validate-papers`; docs/VALIDATION.md says what each case assumes, which cases calibrate a catalog figure, and why each known gap is one.',
    '',
    ...validationHeadline(report.summary).map((l) => `- ${l}`),
    '',
  ];
  if (chartFile !== undefined) lines.push(`![moesim against published values](${chartFile})`, '');
  for (const g of caseGroups(report)) {
    lines.push(`## ${g.title.charAt(0).toUpperCase()}${g.title.slice(1)}`, '', ...markdownTable(g.cases), '');
  }
  const failures = failureLines(report.cases);
  if (failures.length > 0) lines.push('## Failures', '', ...failures.map((f) => `- ${f}`), '');
  const gaps = report.cases.filter((r) => r.knownGap !== undefined);
  if (gaps.length > 0) {
    lines.push('## Known gaps', '');
    for (const r of gaps) {
      const gap = r.knownGap as NonNullable<CaseResult['knownGap']>;
      lines.push(`- **${r.id}** (${r.status}, error ${formatCaseError(r)}, recorded band ${gap.band[0]} … ${gap.band[1]}): ${gap.reason}`);
    }
    lines.push('');
  }
  const mfu = report.cases.filter((r) => r.mfu !== undefined);
  if (mfu.length > 0) {
    lines.push('## MFU cases', '');
    for (const r of mfu) {
      const basis = r.mfu as NonNullable<CaseResult['mfu']>;
      lines.push(`- **${r.id}**: ${basis.convention}-FLOPs MFU, divided by ${basis.peak}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** The chart's points: the cases with one absolute published figure (accuracy and arithmetic). */
export function validationChartSvg(report: ValidationReport): string | undefined {
  const points = report.cases
    .filter((r) => (r.kind === 'accuracy' || r.kind === 'arithmetic') && r.published > 0 && r.predicted > 0 && Number.isFinite(r.predicted))
    .map((r) => ({ label: r.id, published: r.published, predicted: r.predicted, pass: r.status === 'pass' }));
  if (points.length === 0) return undefined;
  return scatterPredictedVsPublished(points, {
    title: 'moesim against published figures',
    subtitle: `${points.length} absolute figures (accuracy and arithmetic cases), each in its own unit; band: ±10%`,
    unit: '',
    quantity: 'value',
    tolerance: 0.1,
  });
}

/** Write report.md, report.json and the chart (SVG and PNG) into `dir`; returns the paths written. */
export function writeValidationReport(report: ValidationReport, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const svg = validationChartSvg(report);
  if (svg !== undefined) {
    writeFileSync(join(dir, 'predicted-vs-published.svg'), svg);
    writeFileSync(join(dir, 'predicted-vs-published.png'), svgToPng(svg, 1200));
    written.push(join(dir, 'predicted-vs-published.svg'), join(dir, 'predicted-vs-published.png'));
  }
  writeFileSync(join(dir, 'report.md'), validationMarkdown(report, svg !== undefined ? 'predicted-vs-published.png' : undefined));
  const { experimentWall_s: _wall, ...judged } = report;
  writeFileSync(join(dir, 'report.json'), toJsonText(judged));
  written.unshift(join(dir, 'report.md'), join(dir, 'report.json'));
  return written;
}
