// The pieces every self-contained HTML report shares (run, sweep, plan): escaping, the page shell with its inline
// style (no scripts, no external files), key/value tables, column tables and chart figures. Deterministic text.

export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const STYLE = 'body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:1000px;margin:2em auto;color:#1a1a1a}table{border-collapse:collapse;margin:1em 0}th,td{text-align:left;padding:4px 12px;border-bottom:1px solid #ddd}th{color:#555;font-weight:normal}svg{max-width:100%;height:auto;margin:1em 0}';
/** Extra rules for wide column tables (sweep results, plan rows): numbers right-aligned, small type. */
const WIDE_TABLE_STYLE = 'table.grid{font-size:13px}table.grid th{font-weight:bold;border-bottom:2px solid #999}table.grid td.n{text-align:right;font-variant-numeric:tabular-nums}p.note{color:#555}';

/** A whole page: `<title>` from `title`, the body parts joined by newlines. */
export function htmlPage(title: string, body: readonly string[], options: { wideTables?: boolean } = {}): string {
  return [
    '<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}${options.wideTables ? WIDE_TABLE_STYLE : ''}</style>`,
    '</head><body>', ...body, '</body></html>', '',
  ].join('\n');
}

/** A two-column table of labelled values. */
export function keyValueTable(rows: readonly (readonly [string, string])[]): string {
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

export interface GridColumn<T> {
  title: string;
  /** Right-align (numbers). */
  numeric?: boolean;
  cell: (row: T) => string;
}

/** A table with a header row and one row per item; cells are escaped. */
export function gridTable<T>(columns: readonly GridColumn<T>[], rows: readonly T[]): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c.title)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td${c.numeric ? ' class="n"' : ''}>${escapeHtml(c.cell(r))}</td>`).join('')}</tr>`);
  return `<table class="grid">\n${[head, ...body].join('\n')}\n</table>`;
}

/** A chart figure (the SVG inline). */
export const figure = (svg: string): string => `<figure>${svg}</figure>`;

/** A paragraph of escaped text. */
export const paragraph = (text: string, className?: string): string => `<p${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</p>`;
