// Deterministic JSON text: stable indentation (or compact), a trailing newline, and non-finite numbers written as null.

export function toJsonText(value: unknown, pretty = true): string {
  const replacer = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  return `${JSON.stringify(value, replacer, pretty ? 2 : undefined)}\n`;
}
