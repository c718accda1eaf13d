// Which routers `compare` runs and with what parameters: the `--routers` list syntax
// (`gshard,switch:capacityFactor=1.1,hash:capacityFactor=null`), parameter inheritance (the scenario's router keeps
// the scenario's parameters, others start from their defaults), validation by each router's own zod schema, and
// duplicate detection. Every problem is an InputError on one line naming the router and the field.
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { routerNames, routerParamsSchema } from '../../routing/index.ts';
import type { Scenario } from './scenario-schema.ts';
import { formatIssue } from './format-issues.ts';

/** One router to compare: its registry name and parameter overrides (dotted keys make nested objects). */
export interface RouterChoice {
  name: string;
  overrides?: Record<string, unknown>;
  /** Row label; defaults to `name:key=value:…` as the overrides were given. */
  label?: string;
}

/** A router ready to run: its label, name and full, validated parameters (defaults filled in). */
export interface ResolvedRouterChoice {
  label: string;
  name: string;
  params: Record<string, unknown>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** An override value: a number, true/false, null, or else the string as written. */
export function parseOverrideValue(text: string): unknown {
  if (NUMBER.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  return text;
}

/** Parse `name[:key=value]*` items separated by commas. `what` names the option in messages. */
export function parseRouterList(text: string, what = '--routers'): RouterChoice[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.every((s) => s === '')) throw new InputError(`${what}: the list is empty; give router names separated by commas, e.g. gshard,switch,hash`, what);
  return items.map((item, i) => {
    if (item === '') throw new InputError(`${what}: item ${i + 1} is empty (two commas in a row, or a trailing comma?)`, what);
    const [name = '', ...pairs] = item.split(':').map((s) => s.trim());
    const overrides: Record<string, unknown> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const key = eq > 0 ? pair.slice(0, eq).trim() : '';
      const value = eq > 0 ? pair.slice(eq + 1).trim() : '';
      if (key === '' || value === '') throw new InputError(`${what}: "${item}": expected key=value after the router name, got "${pair}" (e.g. switch:capacityFactor=1.1)`, what);
      if (key in overrides) throw new InputError(`${what}: "${item}": ${key} is given twice`, what);
      overrides[key] = parseOverrideValue(value);
    }
    return { name, overrides, label: item.replace(/\s+/g, '') };
  });
}

function labelOf(choice: RouterChoice): string {
  const pairs = Object.entries(choice.overrides ?? {}).map(([k, v]) => `:${k}=${v === null ? 'null' : String(v)}`);
  return choice.label ?? `${choice.name}${pairs.join('')}`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Set `overrides` (dotted keys are paths) on a copy of `base`. */
export function applyOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>, label: string, what: string): Record<string, unknown> {
  const out = structuredClone(base);
  for (const [key, value] of Object.entries(overrides)) {
    const path = key.split('.');
    if (path.some((p) => p === '')) throw new InputError(`${what}: ${label}: "${key}" is not a parameter name`, what);
    let obj = out;
    for (const p of path.slice(0, -1)) {
      if (!isPlainObject(obj[p])) obj[p] = {};
      obj = obj[p] as Record<string, unknown>;
    }
    obj[path[path.length - 1] as string] = value;
  }
  return out;
}

/** Canonical JSON (sorted keys) to tell whether two choices run the same router with the same parameters. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isPlainObject(value)) return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * Validate the choices against the router registry and each router's parameter schema. A router with the
 * scenario's router name starts from the scenario's parameters; any other from its defaults; overrides go on top.
 */
export function resolveRouterChoices(scenario: Scenario, choices: readonly RouterChoice[], what = '--routers'): ResolvedRouterChoice[] {
  if (choices.length === 0) throw new InputError(`${what}: the list is empty; give at least one router`, what);
  const { name: scenarioRouter, ...scenarioParams } = scenario.router;
  const seen = new Map<string, string>();
  const labels = new Set<string>();
  return choices.map((choice) => {
    const label = labelOf(choice);
    if (labels.has(label)) throw new InputError(`${what}: "${label}" is listed twice`, what);
    labels.add(label);
    if (!routerNames().includes(choice.name)) {
      throw new InputError(`${what}: unknown router "${choice.name}"; accepted: ${routerNames().join(', ')}`, what);
    }
    const base = choice.name === scenarioRouter ? scenarioParams : {};
    const raw = applyOverrides(base, choice.overrides ?? {}, label, what);
    const schema = routerParamsSchema(choice.name);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const knownKeys = (path: readonly PropertyKey[]): string[] | undefined => (path.length === 0 && schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined);
      throw new InputError(`${what}: ${issue ? formatIssue(issue, raw, { prefix: choice.name, knownKeys }) : `${choice.name}: invalid parameters`}`, what);
    }
    const params = parsed.data as Record<string, unknown>;
    const key = canonical({ name: choice.name, params });
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new InputError(`${what}: "${label}" duplicates "${earlier}" (the same router with the same parameters)`, what);
    seen.set(key, label);
    return { label, name: choice.name, params };
  });
}
