// `moesim collective`: one JSON line with the documented fields, the table, size parsing, and exit code 2
// with a one-line message naming the flag for a bad --size, --op, --algo, --cluster, --nodes or --model.
import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../src/cli/command-collective.ts';
import * as topology from '../../src/topology/index.ts';
import { expectOneLineError, runCli } from '../helpers/run-cli.ts';

const hasFlowModel = typeof (topology as unknown as Record<string, unknown>)['createFlowNetwork'] === 'function';

async function expectUsageError(args: string[], message: RegExp): Promise<void> {
  expectOneLineError(await runCli('collective', ...args), message);
}

const base = ['--cluster', 'atlas-800t-a2', '--nodes', '1', '--op', 'allreduce', '--size', '1GiB'];

describe('moesim collective', () => {
  it('prints one JSON line with op, algo, devices, bytes, time_s, algbw_GBps and busbw_GBps', async () => {
    const out = await runCli('collective', ...base, '--json');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout.trimEnd().split('\n')).toHaveLength(1);
    const r = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(r).toMatchObject({ op: 'allreduce', algo: 'mesh', devices: 8, bytes: 2 ** 30, model: 'analytical', cluster: 'atlas-800t-a2', nodes: 1 });
    const time = r['time_s'] as number;
    expect(time).toBeGreaterThan(0);
    // algbw = size / time, busbw = algbw · 2(n−1)/n (nccl-tests), both in 10^9 B/s, 6 significant digits
    expect(r['algbw_GBps'] as number).toBeCloseTo(2 ** 30 / time / 1e9, 3);
    expect(r['busbw_GBps'] as number).toBeCloseTo(((2 ** 30 / time / 1e9) * 14) / 8, 3);
  });

  it('takes --algo and runs all-to-all on 4 servers (hierarchical by default on HCCL systems)', async () => {
    const args = ['--cluster', 'atlas-800t-a2', '--nodes', '4', '--op', 'all-to-all', '--size', '256MiB', '--json'];
    const byDefault = JSON.parse((await runCli('collective', ...args)).stdout) as Record<string, number | string>;
    expect(byDefault).toMatchObject({ op: 'alltoall', algo: 'hierarchical', devices: 32, bytes: 268435456 });
    const direct = JSON.parse((await runCli('collective', ...args, '--algo', 'direct')).stdout) as Record<string, number | string>;
    expect(direct['algo']).toBe('direct');
    expect(direct['busbw_GBps'] as number).toBeCloseTo(((direct['algbw_GBps'] as number) * 31) / 32, 3);
  });

  it('prints a small table without --json', async () => {
    const out = await runCli('collective', ...base);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/collective\s+allreduce, mesh \(2 phases\)/);
    expect(out.stdout).toMatch(/cluster\s+1 × atlas-800t-a2 \(8 devices\), analytical network/);
    expect(out.stdout).toMatch(/size\s+1\.00 GiB \(1,073,741,824 B\)/);
    expect(out.stdout).toMatch(/busbw\s+\d+\.\d\d GB\/s/);
  });

  it(hasFlowModel ? 'runs with --model flow' : 'says the flow model is not available (exit 2)', async () => {
    const out = await runCli('collective', ...base, '--model', 'flow', '--json');
    if (hasFlowModel) {
      expect(out.code).toBe(0);
      expect(JSON.parse(out.stdout)).toMatchObject({ model: 'flow', algo: 'mesh' });
    } else {
      expect(out.code).toBe(2);
      expect(out.stderr).toMatch(/^moesim: error: --model flow: the flow model is not available/);
    }
  });

  it('rejects bad input with exit code 2 and one line naming the flag', async () => {
    const replace = (flag: string, value: string): string[] => base.map((a, i) => (base[i - 1] === flag ? value : a));
    await expectUsageError(replace('--size', '12XB'), /--size: cannot read "12XB" as a size; use .*256MiB/);
    await expectUsageError(replace('--size', '0'), /--size: "0" is 0 bytes; expected a whole number of bytes > 0/);
    await expectUsageError(replace('--op', 'gather'), /--op: unknown collective op "gather"; accepted: allreduce, allgather, reducescatter, alltoall, broadcast, sendrecv/);
    await expectUsageError([...base, '--algo', 'butterfly'], /--algo: unknown allreduce algorithm "butterfly"; accepted for allreduce: ring, halving-doubling, mesh, hierarchical/);
    await expectUsageError(replace('--cluster', 'atlas-9000'), /--cluster: unknown preset "atlas-9000"; accepted: .*atlas-800t-a2/);
    await expectUsageError(replace('--nodes', '0'), /--nodes: must be a positive integer number of servers \(got "0"\)/);
    await expectUsageError(replace('--nodes', 'two'), /--nodes: must be a positive integer/);
    await expectUsageError([...base, '--model', 'packet'], /--model: got "packet"; accepted: analytical, flow/);
  });

  it('a missing required flag is a usage error (exit 2)', async () => {
    expect((await runCli('collective', '--cluster', 'atlas-800t-a2', '--nodes', '1', '--op', 'allreduce')).code).toBe(2);
  });
});

describe('parseByteSize', () => {
  it('reads B, KB/MB/GB/TB as powers of 10 and KiB/MiB/GiB/TiB as powers of 2', () => {
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize('4096B')).toBe(4096);
    expect(parseByteSize('1GB')).toBe(1e9);
    expect(parseByteSize('2kB')).toBe(2000); // SI kilobyte
    expect(() => parseByteSize('2kb')).toThrow(/reads as bits/); // lower-case b is bits
    expect(parseByteSize('256MiB')).toBe(268_435_456);
    expect(parseByteSize('1.5 GiB')).toBe(1_610_612_736);
    expect(parseByteSize('1TiB')).toBe(2 ** 40);
  });
  it('rejects anything else, naming --size', () => {
    for (const bad of ['', 'MiB', '-5', '1e3', '1.5B', '12 XB', '1GiB2']) expect(() => parseByteSize(bad)).toThrow(/^--size: /);
  });
});

describe('moesim collective guards', () => {
  it('refuses sizes in bits and collectives too big to simulate, with one line and exit 2', async () => {
    expect(() => parseByteSize('1Gb')).toThrow(/reads as bits/);
    expect(parseByteSize('1GB')).toBe(1e9);
    const huge = await runCli('collective', '--cluster', 'atlas-800t-a2', '--nodes', '100000', '--op', 'allreduce', '--size', '1GiB');
    expect(huge.code).toBe(2);
    expect(huge.stderr).toBe('moesim: error: --nodes: 100000 servers are 800000 devices; moesim collective simulates at most 16384\n');
    const flat = await runCli('collective', '--cluster', 'atlas-800t-a2', '--nodes', '513', '--op', 'alltoall', '--algo', 'direct', '--size', '1MiB');
    expect(flat.code).toBe(2);
    expect(flat.stderr).toMatch(/use --algo hierarchical above 4096 devices/);
  });
});
