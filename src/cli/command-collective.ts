// `moesim collective`: run one collective over every device of a cluster on the engine, with the analytical
// or the flow-level network, and print its time, algorithm bandwidth and bus bandwidth (nccl-tests
// definitions, HARDWARE.md). Sizes are nccl-tests "size" (see planCollective); GB/s means 10^9 bytes/s.
import type { Command } from 'commander';
import { InputError, Simulator, nsToSeconds } from '../engine/index.ts';
import { formatBytes, formatCount, formatSeconds, toJsonText } from '../report/index.ts';
import * as topology from '../topology/index.ts';
import type { CollectiveOp, NetworkModelName } from '../topology/index.ts';
import { parseNetworkModel } from './cli-options.ts';
import type { CliIo, SetExit } from './io.ts';

export interface CollectiveCommandOptions {
  cluster: string;
  nodes: string;
  op: string;
  size: string;
  algo?: string;
  model?: string;
  json: boolean;
  quiet?: boolean;
}

export interface CollectiveResult {
  op: CollectiveOp;
  algo: string;
  devices: number;
  bytes: number;
  time_s: number;
  algbw_GBps: number;
  busbw_GBps: number;
  cluster: string;
  nodes: number;
  model: NetworkModelName;
  phases: number;
}


/** Largest collective the command simulates, and the largest flat (n² flows) all-to-all: beyond, memory runs out. */
const MAX_DEVICES = 16_384;
const MAX_FLAT_ALLTOALL_DEVICES = 4_096;

const UNIT_BYTES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * "256MiB", "1GB", "4096", "1.5 GiB" → bytes. KB/MB/GB/TB are powers of 10, KiB/MiB/GiB/TiB powers of 2; the
 * prefix's case is ignored, but a unit ending in a lower-case "b" after a prefix (1Gb) means bits and is refused.
 */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)\s*$/i.exec(text);
  if (match?.[2] && match[2].length > 1 && match[2].endsWith('b')) {
    throw new InputError(`--size: "${text}" reads as bits (lower-case b); give bytes with an upper-case B, e.g. ${match[1]}${match[2].slice(0, -1).toUpperCase()}B or ${match[1]}${match[2].slice(0, -1).toUpperCase()}iB`, 'size');
  }
  const unit = match?.[2]?.toLowerCase() || 'b';
  const factor = UNIT_BYTES[unit];
  if (match === null || factor === undefined) {
    throw new InputError(`--size: cannot read "${text}" as a size; use a number of bytes with an optional unit: B, KB, MB, GB, TB (10^3) or KiB, MiB, GiB, TiB (2^10), e.g. 256MiB`, 'size');
  }
  const bytes = Number(match[1]) * factor;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new InputError(`--size: "${text}" is ${bytes} bytes; expected a whole number of bytes > 0 (and below 2^53)`, 'size');
  }
  return bytes;
}

function parseNodes(text: string): number {
  const nodes = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(nodes) || nodes < 1) throw new InputError(`--nodes: must be a positive integer number of servers (got "${text}")`, 'nodes');
  return nodes;
}

/** Plans and simulates the collective; every user mistake is an InputError naming its flag. */
export function runCollectiveCommand(options: CollectiveCommandOptions): CollectiveResult {
  const op = (() => {
    try {
      return topology.parseCollectiveOp(options.op);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`--op: ${err.message}`, 'op');
      throw err;
    }
  })();
  const presets = topology.listPresets();
  if (!presets.includes(options.cluster)) {
    throw new InputError(`--cluster: unknown preset "${options.cluster}"; accepted: ${presets.join(', ')}`, 'cluster');
  }
  const nodes = parseNodes(options.nodes);
  const bytes = parseByteSize(options.size);
  const model = parseNetworkModel('model', options.model ?? 'analytical');

  const devices = nodes * topology.getSystem(options.cluster).devicesPerServer;
  if (devices > MAX_DEVICES) throw new InputError(`--nodes: ${nodes} servers are ${devices} devices; moesim collective simulates at most ${MAX_DEVICES}`, 'nodes');
  const cluster = topology.buildCluster({ preset: options.cluster, servers: nodes });
  const group = Array.from({ length: cluster.devices }, (_, d) => d);
  const algo = options.algo ?? topology.defaultCollectiveAlgorithm(op, group, cluster);
  if (!topology.collectiveAlgorithms[op].some((name) => name === algo)) {
    throw new InputError(`--algo: unknown ${op} algorithm "${algo}"; accepted for ${op}: ${topology.collectiveAlgorithms[op].join(', ')}`, 'algo');
  }
  if (op === 'alltoall' && (algo === 'direct' || algo === 'pairwise') && devices > MAX_FLAT_ALLTOALL_DEVICES) {
    throw new InputError(`--algo: a ${algo} all-to-all over ${devices} devices has ${devices * (devices - 1)} flows; use --algo hierarchical above ${MAX_FLAT_ALLTOALL_DEVICES} devices`, 'algo');
  }
  const plan = topology.planCollective(op, algo, group, bytes, cluster);
  const sim = new Simulator();
  const durationNs = topology.simulateCollective(sim, topology.networkModel(model).create(sim, cluster), plan, `${op}/${algo}`);
  if (durationNs <= 0) throw new InputError(`${op}/${algo} on ${group.length} device(s) moves nothing over the network; use more devices`);
  const seconds = nsToSeconds(durationNs);
  const significant = (x: number): number => Number(x.toPrecision(6));
  return {
    op,
    algo,
    devices: group.length,
    bytes,
    time_s: seconds,
    algbw_GBps: significant(topology.algBandwidth(bytes, seconds) / 1e9),
    busbw_GBps: significant(topology.busBandwidth(op, group.length, bytes, seconds) / 1e9),
    cluster: options.cluster,
    nodes,
    model,
    phases: plan.phases.length,
  };
}

export function collectiveCommand(options: CollectiveCommandOptions, io: CliIo): number {
  const r = runCollectiveCommand(options);
  if (options.json) {
    io.stdout(toJsonText(r, false));
    return 0;
  }
  if (options.quiet) return 0;
  const servers = `${r.nodes} × ${r.cluster}`;
  io.stdout(
    `  collective  ${r.op}, ${r.algo} (${formatCount(r.phases)} phases)\n` +
      `  cluster     ${servers} (${formatCount(r.devices)} devices), ${r.model} network\n` +
      `  size        ${formatBytes(r.bytes)} (${formatCount(r.bytes)} B)\n` +
      `  time        ${formatSeconds(r.time_s)}\n` +
      `  algbw       ${r.algbw_GBps.toFixed(2)} GB/s\n` +
      `  busbw       ${r.busbw_GBps.toFixed(2)} GB/s\n`,
  );
  return 0;
}

/** Adds `moesim collective` to the CLI. */
export function registerCollectiveCommand(program: Command, io: CliIo, setExit: SetExit): void {
  program
    .command('collective')
    .description('time one collective over every device of a cluster and print algbw and busbw (nccl-tests definitions)')
    .requiredOption('--cluster <preset>', 'system preset (see moesim catalog)')
    .requiredOption('--nodes <n>', 'number of servers')
    .requiredOption('--op <op>', 'allreduce | allgather | reducescatter | alltoall | broadcast | sendrecv')
    .requiredOption('--size <bytes>', 'nccl-tests size, e.g. 256MiB, 1GB, 4096 (KB/MB/GB = 10^3, KiB/MiB/GiB = 2^10)')
    .option('--algo <name>', 'algorithm (default: what HCCL or NCCL would pick for the topology)')
    .option('--model <name>', `network model: ${topology.networkModelNames().join(' | ')}`, 'analytical')
    .option('--json', 'print one JSON line')
    .option('-q, --quiet', 'print nothing unless --json')
    .action((opts: { cluster: string; nodes: string; op: string; size: string; algo?: string; model?: string; json?: boolean; quiet?: boolean }) =>
      setExit(collectiveCommand({ ...opts, json: opts.json ?? false, quiet: opts.quiet ?? false }, io)),
    );
}
