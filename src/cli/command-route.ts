// `moesim route`: route N tokens through one MoE layer with a named router (default parameters) on tfjs and print
// kept tokens per expert, max/mean load, dropped and computed assignments, and the wall time of routing (feature
// generation is timed separately). Every user mistake is an InputError naming its flag (exit 2).
import type { Command } from 'commander';
import { InputError } from '../engine/index.ts';
import { formatCount, formatPercent, formatSeconds, toJsonText } from '../report/index.ts';
import { TF_BACKENDS, routerNames } from '../routing/index.ts';
import type { RouteTokensOptions, RouteTokensResult } from '../studies/index.ts';
import { EXPERTS_PER_NODE, routeTokens } from '../studies/index.ts';
import type { TokenSourceConfig } from '../workloads/index.ts';
import { parseBackend } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';
import { createProgress, progressEnabled } from './progress.ts';

export interface RouteCommandOptions {
  router: string;
  tokens: string;
  experts: string;
  hidden: string;
  topK?: string;
  source?: string;
  groupSize?: string;
  seed?: string;
  backend?: string;
  json: boolean;
  quiet?: boolean;
}

/** Upper bound on --tokens (routing is chunked, so this only bounds run time and float64-exact counts). */
export const MAX_ROUTE_TOKENS = 2 ** 31 - 1;

export const ROUTE_HELP = `
Placement: experts are spread over ceil(E/${EXPERTS_PER_NODE}) nodes (expert e on node floor(e/${EXPERTS_PER_NODE})) and routing group g
(counted over all N tokens) sits on node g mod nodes, so locality-aware (locmoe, locmoe-plus) and node-limited
(deepseek-aux-free) routers have a placement. Every chunk is routed with the same layer's gate (layer 0);
stateful routers are not stepped. Features are generated in chunks of about 16,384 tokens (whole routing groups),
so memory stays bounded. time_s is the wall time of routing only; featureTime_s that of feature generation.
Sources: synthetic (Gaussian clusters, Zipf token ids), mobydick (Moby-Dick tokenised with cl100k, hashed
embedding), npy:PATH (your hidden states, [tokens, hidden] float32/float16; short files are resampled).
Sequence-level routers (meo) route sequences of gcd(group size, 2048) tokens; counts are in tokens.`;

function parseCount(flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `between ${min} and ${max}`;
    throw new InputError(`--${flag}: must be an integer ${range} (got "${text}")`, flag);
  }
  return value;
}

/** "synthetic" | "mobydick" | "npy:PATH" → the token source's config (defaults filled in). */
export function parseRouteSource(text: string): TokenSourceConfig {
  if (text === 'synthetic') return { source: 'synthetic', clusters: 16, zipfExponent: 1, spread: 1, layerDrift: 0.5 };
  if (text === 'mobydick' || text === 'moby-dick') {
    return { source: 'text', corpus: 'moby-dick', layerDrift: 0.5, context: 0.3, embeddingBuckets: 4096, hashesPerToken: 2 };
  }
  if (text.startsWith('npy:') && text.length > 4) return { source: 'npy', features: text.slice(4), layout: 'tokens', whenShort: 'resample' };
  throw new InputError(`--source: unknown token source "${text}"; accepted: synthetic, mobydick, npy:PATH`, 'source');
}

/** What the flags parse into: the routing options with the router's default parameters and chunking. */
export type ParsedRouteOptions = Omit<RouteTokensOptions, 'params' | 'chunkTokens'>;

export function parseRouteOptions(o: RouteCommandOptions): ParsedRouteOptions {
  const names = routerNames();
  if (!names.includes(o.router)) throw new InputError(`--router: unknown router "${o.router}"; accepted: ${names.join(', ')}`, 'router');
  const tokens = parseCount('tokens', o.tokens, 1, MAX_ROUTE_TOKENS);
  const experts = parseCount('experts', o.experts, 1, 65_536);
  const hidden = parseCount('hidden', o.hidden, 1, 65_536);
  const topK = parseCount('top-k', o.topK ?? '2', 1);
  if (topK > experts) throw new InputError(`--top-k: ${topK} is more than --experts ${experts}`, 'top-k');
  const groupSize = parseCount('group-size', o.groupSize ?? String(Math.min(tokens, 4096)), 1);
  if (groupSize > tokens) throw new InputError(`--group-size: ${groupSize} is more than --tokens ${tokens}`, 'group-size');
  if (tokens % groupSize !== 0) throw new InputError(`--group-size: ${groupSize} does not divide --tokens ${tokens} (routing groups are whole)`, 'group-size');
  const seed = parseCount('seed', o.seed ?? '1', 0, 2 ** 32 - 1);
  const backend = parseBackend(o.backend ?? 'wasm');
  const source = parseRouteSource(o.source ?? 'synthetic');
  return { router: o.router, tokens, experts, hidden, topK, groupSize, seed, source, backend };
}

export async function runRouteCommand(o: RouteCommandOptions): Promise<RouteTokensResult> {
  const parsed = parseRouteOptions(o);
  const progress = createProgress(`route ${parsed.router}`, progressEnabled((o.quiet ?? false) || o.json));
  try {
    return await routeTokens({ ...parsed, onChunkDone: (done, total) => progress.update(done, total) });
  } finally {
    progress.stop();
  }
}

function table(r: RouteTokensResult): string {
  const kept = r.tokensPerExpert;
  const mean = kept.reduce((a, b) => a + b, 0) / Math.max(1, kept.length);
  const pad = (s: string): string => `  ${s.padEnd(18)}`;
  return (
    `${pad('router')}${r.router} (${r.backend})\n` +
    `${pad('tokens')}${formatCount(r.tokens)} in ${formatCount(r.groups)} groups of ${formatCount(r.groupSize)} (${formatCount(r.chunks)} chunks)\n` +
    `${pad('experts')}${formatCount(r.experts)} on ${formatCount(r.nodes)} nodes, top-k ${r.topK}, hidden ${formatCount(r.hidden)}\n` +
    `${pad('source')}${r.tokenSource}\n` +
    `${pad('kept per expert')}min ${formatCount(Math.min(...kept))} · mean ${formatCount(Math.round(mean))} · max ${formatCount(Math.max(...kept))}\n` +
    `${pad('max/mean')}${r.maxOverMean.toFixed(3)}\n` +
    `${pad('dropped')}${formatCount(r.dropped)} of ${formatCount(r.computed)} assignments (${formatPercent(r.computed === 0 ? 0 : r.dropped / r.computed, 2)})\n` +
    `${pad('routing time')}${formatSeconds(r.time_s)} (${formatCount(Math.round(r.tokens / Math.max(r.time_s, 1e-9)))} tokens/s)\n` +
    `${pad('feature time')}${formatSeconds(r.featureTime_s)}\n`
  );
}

export async function routeCommand(options: RouteCommandOptions, io: CliIo): Promise<number> {
  const r = await runRouteCommand(options);
  if (r.backendNote !== undefined) io.stderr(`moesim: note: ${r.backendNote}\n`);
  if (options.json) {
    const { router, tokens, experts, tokensPerExpert, maxOverMean, dropped, computed, time_s, featureTime_s, ...rest } = r;
    io.stdout(toJsonText({ router, tokens, experts, tokensPerExpert, maxOverMean, dropped, computed, time_s, featureTime_s, ...rest }, false));
    return 0;
  }
  if (!options.quiet) io.stdout(table(r));
  return 0;
}

/** Adds `moesim route` to the CLI. */
export function registerRouteCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('route')
    .description('route N tokens through one MoE layer with a router (default parameters) on tfjs and print the expert load')
    .requiredOption('--router <name>', 'router name (see README: switch, gshard, hash, expert-choice, base, deepseek-aux-free, adamoe, locmoe, locmoe-plus, meo, dense)')
    .requiredOption('--tokens <n>', 'tokens to route')
    .requiredOption('--experts <n>', 'number of experts E')
    .requiredOption('--hidden <n>', 'hidden size d of the router input')
    .option('--top-k <k>', "the model's experts per token (routers with their own k ignore it)", '2')
    .option('--source <source>', 'token features: synthetic | mobydick | npy:PATH', 'synthetic')
    .option('--group-size <t>', 'tokens per routing group (capacity is per group; default min(N, 4096); must divide N)')
    .option('--seed <s>', 'seed of features and router', '1')
    .option('--backend <name>', `tfjs backend: ${TF_BACKENDS.join(' | ')}`, 'wasm')
    .option('--json', 'print one JSON line')
    .option('-q, --quiet', 'no progress bar, and print nothing unless --json')
    .addHelpText('after', ROUTE_HELP)
    .action(async (opts: Omit<RouteCommandOptions, 'json' | 'quiet'> & { json?: boolean; quiet?: boolean }) => setExit(await routeCommand({ ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)));
}
