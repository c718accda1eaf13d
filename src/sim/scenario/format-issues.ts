// Turn zod issues into one line per problem: the field's dotted path, what was given, and what is accepted.
import type { z } from 'zod';

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Accepted keys of the object schema at `path`, to suggest the right spelling of an unknown field. */
export type KnownKeys = (path: readonly PropertyKey[]) => string[] | undefined;

export interface FormatOptions {
  knownKeys?: KnownKeys;
  /** Dotted path of the object that `input` is inside the scenario (e.g. "router"). */
  prefix?: string;
}

export function formatIssue(issue: z.core.$ZodIssue, input: unknown, options: FormatOptions = {}): string {
  const { knownKeys, prefix } = options;
  const parts = [...(prefix ? [prefix] : []), ...issue.path.map(String)];
  const field = parts.length > 0 ? parts.join('.') : '(top level)';
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const accepted = knownKeys?.(issue.path);
      const list = issue.keys.map((k) => `"${k}"`).join(', ');
      return `${field}: unknown field ${list}${accepted ? `; accepted fields: ${accepted.join(', ')}` : ''}`;
    }
    case 'invalid_value':
      return `${field}: got ${describeValue(got)}; accepted: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return `${field}: got ${describeValue(got)}; ${issue.message}`;
    case 'invalid_type':
      return got === undefined
        ? `${field}: required (expected ${issue.expected})`
        : `${field}: expected ${issue.expected}, got ${describeValue(got)}`;
    case 'too_small':
      return `${field}: must be ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)} (got ${describeValue(got)})`;
    case 'too_big':
      return `${field}: must be ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)} (got ${describeValue(got)})`;
    default:
      return `${field}: ${issue.message} (got ${describeValue(got)})`;
  }
}
