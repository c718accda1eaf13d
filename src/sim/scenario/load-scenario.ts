// Read a scenario file: YAML syntax, then the schema; every problem becomes an InputError naming the field.
import { YAMLError, parseDocument } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import { readInputText } from '../../routing/index.ts';
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

/** The alias uses a YAML input may expand (the yaml library's own default; an alias bomb needs thousands). */
const MAX_ALIASES = 100;

/**
 * Parse a YAML input (scenario, plan, sweep): a syntax error names the file, line and column; a tag (`!!js/function`),
 * an alias bomb or nesting too deep for the parser is one line naming the file too, the same in every command.
 */
export function parseYamlInput(text: string, origin: string): unknown {
  checkNesting(text, origin);
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  } catch (err) {
    throw yamlProblem(err, origin);
  }
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) throw yamlProblem(problem, origin, doc.errors.length === 0);
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (err) {
    throw yamlProblem(err, origin);
  }
}

/** Flow brackets nested deeper than this, or block content further right than MAX_COLUMN, is refused before parsing. */
const MAX_DEPTH = 64;
const MAX_COLUMN = 512;

/**
 * Refuses nesting the parser would recurse into without bound (100,000 brackets exhausted its stack in one process
 * and the heap in another): flow brackets outside quotes and comments, and block content (indentation plus "- "
 * entries on one line) past a column no scenario or plan comes near.
 */
function checkNesting(text: string, origin: string): void {
  let depth = 0;
  let line = 1;
  let quote = '';
  let lineStart = true;
  let column = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = true;
      column = 0;
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '-') {
        if (++column > MAX_COLUMN) throw new InputError(`${origin}:${line}: malformed YAML: block nesting past column ${MAX_COLUMN} (a scenario or plan nests a few levels)`);
        continue;
      }
      lineStart = false;
    }
    if (quote !== '') {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_DEPTH) throw new InputError(`${origin}:${line}: malformed YAML: brackets nested more than ${MAX_DEPTH} deep (a scenario or plan nests a few levels)`);
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
}

function yamlProblem(err: unknown, origin: string, warning = false): InputError {
  // The parser's stack overflowing (past checkNesting) comes as its own YAMLError or as a bare RangeError.
  if ((err instanceof YAMLError || err instanceof RangeError) && /call stack/i.test(err.message)) {
    return new InputError(`${origin}: malformed YAML: nested too deep for the parser (a scenario or plan nests a few levels)`);
  }
  if (err instanceof YAMLError) {
    const pos = err.linePos?.[0];
    const where = pos ? `${origin}:${pos.line}:${pos.col}` : origin;
    const reason = err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
    if (warning) return new InputError(`${where}: malformed YAML: ${reason.replace(/^Unresolved tag: tag:yaml\.org,2002:/, 'unsupported tag !!')} (moesim reads plain YAML: no tags)`);
    return new InputError(`${where}: malformed YAML: ${reason}`);
  }
  if (err instanceof ReferenceError && /alias/i.test(err.message)) {
    return new InputError(`${origin}: malformed YAML: aliases expand more than ${MAX_ALIASES} times (an alias bomb?); write the values out`);
  }
  throw err;
}

/** Parse a scenario's YAML text (parseYamlInput). */
export function parseScenarioYaml(text: string, origin: string): unknown {
  return parseYamlInput(text, origin);
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

/** The text of a YAML input file (routing's bounded reader: a regular file of at most INPUT_LIMITS.yaml by default). */
export { readInputText };

/** Read, parse and validate a scenario file. */
export function loadScenarioFile(path: string): Scenario {
  return validateScenarioObject(parseScenarioYaml(readInputText(path, 'scenario file'), path), path);
}
