// Read a scenario file: YAML syntax, then the schema; every problem becomes an InputError naming the field.
import { readFileSync } from 'node:fs';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { formatIssue } from './format-issues.ts';
import type { Scenario } from './scenario-schema.ts';
import { scenarioSchema } from './scenario-schema.ts';

/** The object schema at a dotted path of the scenario schema, looking through defaults and optionals. */
function objectKeysAt(path: readonly PropertyKey[]): string[] | undefined {
  let schema: z.ZodType | undefined = scenarioSchema;
  for (const key of [...path, undefined]) {
    for (let unwrap = 0; unwrap < 4 && schema && !(schema instanceof z.ZodObject); unwrap++) {
      schema = (schema as unknown as { _zod: { def: { innerType?: z.ZodType } } })._zod.def.innerType;
    }
    if (!(schema instanceof z.ZodObject)) return undefined;
    if (key === undefined) return Object.keys(schema.shape);
    schema = (schema.shape as Record<string, z.ZodType>)[String(key)];
  }
  return undefined;
}

/** Parse YAML text; a syntax error names the file, line and column. */
export function parseScenarioYaml(text: string, origin: string): unknown {
  try {
    return parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    if (err instanceof YAMLParseError) {
      const pos = err.linePos?.[0];
      const where = pos ? `${origin}:${pos.line}:${pos.col}` : origin;
      const reason = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
      throw new InputError(`${where}: malformed YAML: ${reason}`);
    }
    throw err;
  }
}

/** Validate parsed YAML against schema version 1. */
export function validateScenarioObject(raw: unknown, origin: string): Scenario {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${origin}: a scenario must be a YAML mapping (version, name, seed, cluster, model, parallelism, router, tokens)`);
  }
  const version = (raw as Record<string, unknown>).version;
  if (version !== undefined && version !== 1) {
    throw new InputError(`${origin}: version: got ${JSON.stringify(version)}; this moesim reads scenario schema version 1`, 'version');
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `${origin}: ${formatIssue(issue, raw, { knownKeys: objectKeysAt })}`);
  const first = parsed.error.issues[0];
  throw new InputError(lines.join('\n'), first?.path.map(String).join('.'));
}

/** The text of an input file; a missing or unreadable one is an InputError naming `what` ("scenario file"). */
export function readInputText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${what} not found: ${path}` : `cannot read ${what} ${path}: ${code ?? String(err)}`);
  }
}

/** Read, parse and validate a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  return validateScenarioObject(parseScenarioYaml(readInputText(path, 'scenario file'), path), path);
}
