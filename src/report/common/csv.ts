// CSV cells as every table moesim writes them (RFC 4180): a cell with a comma, a quote or a newline is quoted with
// its quotes doubled; null, undefined and non-finite numbers are empty cells.

export function csvField(v: unknown): string {
  const text = v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '' : String(v);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (no newline) of `values`. */
export function csvRow(values: readonly unknown[]): string {
  return values.map(csvField).join(',');
}
