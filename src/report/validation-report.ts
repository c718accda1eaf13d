// The paper-validation report: the printed table (case | published | moesim | error | tolerance | pass),
// output/validation/report.md (the table by paper, the error on calibration and held-out cases, the known
// gaps with their reasons) and report.json. Deterministic bytes: no dates or wall times in the files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, ValidationReport } from '../sim/index.ts';
import { scatterPredictedVsPublished, svgToPng } from './charts/index.ts';
import { toJsonText } from './json-text.ts';

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

const COLUMNS: Column[] = [
  { title: 'case', cell: (r) => r.id },
  { title: 'published', cell: (r) => r.publishedText, right: true },
  { title: 'moesim', cell: (r) => formatCaseValue(r.predicted, r.unit), right: true },
  { title: 'error', cell: formatCaseError, right: true },
  { title: 'tolerance', cell: (r) => r.toleranceText, right: true },
  { title: 'pass', cell: (r) => (r.status === 'pass' ? 'yes' : r.status === 'fail' ? 'NO' : 'known gap') },
];

/** The printed table, aligned, one line per case. */
export function validationTable(report: ValidationReport): string {
  const cells = report.cases.map((r) => COLUMNS.map((c) => c.cell(r)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string => row.map((text, i) => ((COLUMNS[i] as Column).right ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number))).join('  ').trimEnd();
  const { pass, fail, knownGap } = report.counts;
  return [line(COLUMNS.map((c) => c.title)), ...cells.map(line), '', `${pass} pass, ${fail} fail, ${knownGap} known gap${knownGap === 1 ? '' : 's'} (of ${report.cases.length} cases)`].join('\n') + '\n';
}

/** Mean |relative error| of the cases judged by a relative tolerance. */
function meanAbsRelativeError(cases: CaseResult[]): string {
  const relative = cases.filter((r) => r.toleranceText.startsWith('±') && r.toleranceText.endsWith('%') && Number.isFinite(r.error));
  if (relative.length === 0) return 'no cases with a relative tolerance';
  const mean = relative.reduce((s, r) => s + Math.abs(r.error), 0) / relative.length;
  return `mean |error| ${(mean * 100).toFixed(1)}% over ${relative.length} case${relative.length === 1 ? '' : 's'} with a relative tolerance`;
}

function markdownTable(cases: CaseResult[]): string[] {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.map((c) => c.title).join(' | ')} |`,
    `|${COLUMNS.map((c) => (c.right ? '---:' : '---')).join('|')}|`,
    ...cases.map((r) => `| ${COLUMNS.map((c) => esc(c.cell(r))).join(' | ')} |`),
  ];
}

/** report.md: by paper, then the calibration / held-out split, then the known gaps. */
export function validationMarkdown(report: ValidationReport, chartFile?: string): string {
  const papers = [...new Set(report.cases.map((r) => r.paper))];
  const calibration = report.cases.filter((r) => r.calibration);
  const heldOut = report.cases.filter((r) => !r.calibration);
  const { pass, fail, knownGap } = report.counts;
  const lines = [
    '# moesim against published results',
    '',
    `${report.cases.length} cases: ${pass} pass, ${fail} fail, ${knownGap} known gap${knownGap === 1 ? '' : 's'}. Produced by \`moesim validate-papers\`; docs/VALIDATION.md says what each case assumes.`,
    '',
    `- Calibration cases (a catalog figure was fitted to them): ${calibration.length}; ${meanAbsRelativeError(calibration)}.`,
    `- Held-out cases: ${heldOut.length}; ${meanAbsRelativeError(heldOut)}.`,
    '',
  ];
  if (chartFile !== undefined) lines.push(`![moesim against published values](${chartFile})`, '');
  for (const paper of papers) {
    const cases = report.cases.filter((r) => r.paper === paper);
    lines.push(`## ${paper}`, '', `Source: ${(cases[0] as CaseResult).source}.`, '', ...markdownTable(cases), '');
  }
  const gaps = report.cases.filter((r) => r.knownGap !== undefined);
  if (gaps.length > 0) {
    lines.push('## Known gaps', '');
    for (const r of gaps) lines.push(`- **${r.id}** (${r.status}, error ${formatCaseError(r)}): ${r.knownGap as string}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The chart's points: the cases with an absolute published figure (ranges and rankings have no single value). */
export function validationChartSvg(report: ValidationReport): string | undefined {
  const points = report.cases
    .filter((r) => (r.toleranceText.startsWith('±')) && r.published > 0 && r.predicted > 0 && Number.isFinite(r.predicted))
    .map((r) => ({ label: r.id, published: r.published, predicted: r.predicted, pass: r.status === 'pass' }));
  if (points.length === 0) return undefined;
  return scatterPredictedVsPublished(points, {
    title: 'moesim against published figures',
    subtitle: `${points.length} absolute figures, each in its own unit (%, ×, GFLOPs, GB/s, tokens/s); band: ±10%`,
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
