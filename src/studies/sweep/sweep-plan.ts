// A sweep's definition: the `--set key=v1,v2,…` axes (a zipped axis `k1:k2=a1:b1,a2:b2` varies several keys
// together), checked against the scenario schema before anything runs; the points (the cartesian product of the
// axes, first axis varying slowest); each point's scenario; and the sweep's fingerprint (sha256 of the scenario
// text and the parsed axes) that resume and merge use to refuse mixing different sweeps.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { routerNames, routerParamsSchema } from '../../routing/index.ts';
import { applyOverrides, isPlainObject, parseOverrideValue, parseScenarioYaml, scenarioSchema, validateScenarioObject } from '../../sim/index.ts';
import type { Scenario } from '../../sim/index.ts';

/** One `--set`: its keys (several for a zipped axis) and its values, one tuple per step of the axis. */
export interface SweepAxis {
  keys: string[];
  values: unknown[][];
}

export interface SweepPlan {
  /** The scenario's name. */
  scenario: string;
  /** sha256 (hex) of the scenario text and the axes. */
  fingerprint: string;
  axes: SweepAxis[];
  /** Every swept key, in axis order (the value columns of the results). */
  keys: string[];
  /** Number of points: the product of the axes' lengths. */
  points: number;
  /** The scenario as written (YAML parsed, not yet defaulted): points apply their values to it. */
  base: Record<string, unknown>;
  /** The validated scenario. */
  validated: Scenario;
}

const SET = '--set';
const fail = (message: string): never => {
  throw new InputError(`${SET}: ${message}`, 'set');
};

/** Parse one `--set` argument. */
export function parseSetArgument(text: string): SweepAxis {
  const eq = text.indexOf('=');
  if (eq < 0) fail(`"${text}": expected key=v1,v2,… (e.g. cluster.servers=4,8,16)`);
  const keys = text.slice(0, eq).split(':').map((k) => k.trim());
  if (keys.some((k) => k === '' || k.split('.').some((p) => p === ''))) fail(`"${text}": "${text.slice(0, eq)}" is not a key path (dotted names, e.g. router.capacityFactor)`);
  if (new Set(keys).size !== keys.length) fail(`"${text}": a key is given twice`);
  const list = text.slice(eq + 1).trim();
  if (list === '') fail(`${keys.join(':')}: the value list is empty`);
  const items = list.split(',').map((s) => s.trim());
  const values = items.map((item, i) => {
    if (item === '') fail(`${keys.join(':')}: value ${i + 1} is empty (two commas in a row, or a trailing comma?)`);
    const parts = keys.length === 1 ? [item] : item.split(':').map((s) => s.trim());
    if (parts.length !== keys.length || parts.some((p) => p === '')) fail(`${keys.join(':')}: "${item}" must give ${keys.length} values separated by ":"`);
    return parts.map(parseOverrideValue);
  });
  const seen = new Set<string>();
  for (const v of values) {
    const k = JSON.stringify(v);
    if (seen.has(k)) fail(`${keys.join(':')}: ${v.map(String).join(':')} is listed twice`);
    seen.add(k);
  }
  return { keys, values };
}

/** Keys of the object schema under optional/default/nullable wrappers, or undefined when it is not an object. */
function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  for (let unwrap = 0; unwrap < 4 && schema && !(schema instanceof z.ZodObject); unwrap++) {
    schema = (schema as unknown as { _zod: { def: { innerType?: z.ZodType } } })._zod.def.innerType;
  }
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
}

/** Check a key path against the scenario schema (router parameters against the routers the sweep can use). */
function checkKey(key: string, routers: string[]): void {
  const path = key.split('.');
  if (path[0] === 'router' && path.length > 1) {
    if (path[1] === 'name') {
      if (path.length > 2) fail(`unknown key "${key}": router.name has no fields`);
      return;
    }
    const shapes = routers.map((r) => objectShape(routerParamsSchema(r)));
    if (shapes.some((s) => s === undefined || (path[1] as string) in s)) return;
    const known = [...new Set(shapes.flatMap((s) => Object.keys(s ?? {})))].sort();
    fail(`unknown key "${key}": no router of this sweep (${routers.join(', ')}) has a parameter "${path[1]}"; accepted: name, ${known.join(', ')}`);
  }
  let schema: z.ZodType | undefined = scenarioSchema;
  for (const [i, p] of path.entries()) {
    const shape = objectShape(schema);
    if (shape === undefined) {
      if (i === 0) break;
      return; // a record, a union or free-form data (cluster.overrides, tokens): checked when the point runs
    }
    if (!(p in shape)) fail(`unknown key "${key}": "${path.slice(0, i).join('.') || 'the scenario'}" has no field "${p}"; accepted: ${Object.keys(shape).join(', ')}`);
    schema = shape[p];
  }
}

/** Canonical JSON of the axes (what the fingerprint hashes). */
function axesText(axes: readonly SweepAxis[]): string {
  return JSON.stringify(axes.map((a) => ({ keys: a.keys, values: a.values })));
}

export function sweepFingerprint(scenarioText: string, axes: readonly SweepAxis[]): string {
  return createHash('sha256').update(scenarioText).update('\0').update(axesText(axes)).digest('hex');
}

/** Build and check a sweep from the scenario's text and the `--set` arguments. */
export function planSweep(scenarioText: string, origin: string, sets: readonly string[]): SweepPlan {
  const raw = parseScenarioYaml(scenarioText, origin);
  const validated = validateScenarioObject(raw, origin);
  if (sets.length === 0) fail('give at least one --set key=v1,v2,…');
  const axes = sets.map(parseSetArgument);
  const keys = axes.flatMap((a) => a.keys);
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup !== undefined) fail(`"${dup}" is swept by two --set options`);
  const nameIndex = keys.indexOf('router.name');
  const routers = new Set([validated.router.name]);
  if (nameIndex >= 0) {
    const axis = axes.find((a) => a.keys.includes('router.name')) as SweepAxis;
    const column = axis.keys.indexOf('router.name');
    for (const v of axis.values) {
      const name = String(v[column]);
      if (!routerNames().includes(name)) fail(`router.name: unknown router "${name}"; accepted: ${routerNames().join(', ')}`);
      routers.add(name);
    }
  }
  for (const key of keys) checkKey(key, [...routers]);
  const points = axes.reduce((n, a) => n * a.values.length, 1);
  return { scenario: validated.name, fingerprint: sweepFingerprint(scenarioText, axes), axes, keys, points, base: raw as Record<string, unknown>, validated };
}

/** The swept values of point `p` (first axis varies slowest), as key → value in key order. */
export function pointValues(plan: Pick<SweepPlan, 'axes'>, p: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let rest = p;
  const digits: number[] = [];
  for (let a = plan.axes.length - 1; a >= 0; a--) {
    const n = (plan.axes[a] as SweepAxis).values.length;
    digits[a] = rest % n;
    rest = Math.floor(rest / n);
  }
  plan.axes.forEach((axis, a) => axis.keys.forEach((k, j) => (out[k] = (axis.values[digits[a]!] as unknown[])[j])));
  return out;
}

/**
 * Point `p`'s scenario, as written (validated when the point runs). As in compare, a point that changes the router
 * starts from that router's defaults; `router.*` values go on top. Trace spans are off and recording is dropped.
 */
export function pointScenario(plan: Pick<SweepPlan, 'axes' | 'base'>, p: number): Record<string, unknown> {
  const values = pointValues(plan, p);
  const routerValues = Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('router.')).map(([k, v]) => [k.slice('router.'.length), v]));
  const other = Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('router.')));
  const out = applyOverrides(plan.base, other, `point ${p}`, SET);
  const baseRouter = isPlainObject(out.router) ? out.router : {};
  const name = routerValues.name ?? baseRouter.name;
  const start = name === baseRouter.name ? baseRouter : { name };
  out.router = applyOverrides(start, routerValues, `point ${p}`, SET);
  const routing = isPlainObject(out.routing) ? { ...out.routing } : {};
  delete routing.record;
  out.routing = routing;
  out.output = { ...(isPlainObject(out.output) ? out.output : {}), trace: false };
  return out;
}
