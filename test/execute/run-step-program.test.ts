// Running hand-built step programs on the engine: imbalance wait, time accounting, byte counts, and a stall
// that names the waiting device instead of hanging.
import { describe, expect, it } from 'vitest';
import { SimulationStalledError, Simulator } from '../../src/engine/index.ts';
import { runStepProgram } from '../../src/execute/index.ts';
import { buildCluster, createAnalyticalNetwork, networkModel, registerNetworkModel, unregisterNetworkModel } from '../../src/topology/index.ts';
import type { NetworkModel } from '../../src/topology/index.ts';
import type { StepProgram } from '../../src/workloads/index.ts';

const cluster = buildCluster({ preset: 'atlas-800t-a2', servers: 2 });

describe('runStepProgram', () => {
  // Device 0 computes 100 µs, device 8 (other server) 300 µs, then they exchange 1 MB each way.
  const matrix = Float64Array.from([0, 1e6, 1e6, 0]);
  const program: StepProgram = {
    devices: 16,
    tasks: Array.from({ length: 16 }, (_, d) => {
      if (d === 0) return [{ kind: 'compute', name: 'a', category: 'flash-attention', durationNs: 100_000, flops: 1 }, { kind: 'collective', collective: 0, async: false }];
      if (d === 8) return [{ kind: 'compute', name: 'b', category: 'expert', durationNs: 300_000, flops: 1 }, { kind: 'collective', collective: 0, async: false }];
      return [];
    }),
    collectives: [{ id: 0, name: 'x', category: 'ep-dispatch', group: [0, 8], op: 'all-to-all-v', bytesMatrix: matrix }],
  };

  it('names a pipeline transfer that arrives as the receiver\'s kernel ends as the cause, fused or not', () => {
    // Regression: completing a send inside its arrival event (fused runs) let the receiver find it done at that same
    // instant, so its next kernel's cause became its own kernel and the critical path lost the transfer.
    const bytes = 1e6;
    const transferNs = createAnalyticalNetwork(new Simulator(), cluster).phaseDuration([{ src: 0, dst: 8, bytes }]);
    const tie: StepProgram = {
      devices: 16,
      tasks: Array.from({ length: 16 }, (_, d) => {
        if (d === 0) return [{ kind: 'send', collective: 0 }];
        if (d === 8) return [{ kind: 'compute', name: 'a', category: 'flash-attention', durationNs: transferNs, flops: 1 }, { kind: 'recv', collective: 0 }, { kind: 'compute', name: 'b', category: 'expert', durationNs: 1000, flops: 1 }];
        return [];
      }),
      collectives: [{ id: 0, name: 'pp x', category: 'pp', group: [0, 8], op: 'send', bytes }],
    };
    const [plain, fused] = [false, true].map((fuseKernels) => runStepProgram(tie, cluster, { network: 'analytical', recordSpans: false, fuseKernels }));
    expect(plain?.criticalPath?.commNs).toEqual({ pp: transferNs });
    expect(fused?.criticalPath).toEqual(plain?.criticalPath);
    expect(fused?.stepTimeNs).toBe(transferNs + 1000);
  });

  it('calls a registered model\'s startFlow bound to the model, when it is an ordinary method', () => {
    const analytical = networkModel('analytical');
    class MethodStartFlow {
      constructor(private readonly inner: NetworkModel) {}
      get kind(): string { return 'method-start-flow'; }
      get cluster(): NetworkModel['cluster'] { return this.inner.cluster; }
      transfer(...a: Parameters<NetworkModel['transfer']>) { return this.inner.transfer(...a); }
      transferPacked(...a: Parameters<NetworkModel['transferPacked']>) { return this.inner.transferPacked(...a); }
      startFlow(src: number, dst: number, bytes: number, label: string | { readonly name: string }): number { return this.inner.startFlow!(src, dst, bytes, label); }
      phaseDuration(...a: Parameters<NetworkModel['phaseDuration']>) { return this.inner.phaseDuration(...a); }
      linkBytes() { return this.inner.linkBytes(); }
      linkActivity() { return this.inner.linkActivity(); }
    }
    registerNetworkModel({ ...analytical, name: 'method-start-flow', create: (sim, c, o) => new MethodStartFlow(analytical.create(sim, c, o)) });
    try {
      const sends: StepProgram = {
        devices: 16,
        tasks: Array.from({ length: 16 }, (_, d) => (d === 0 ? [{ kind: 'send', collective: 0 }] : d === 8 ? [{ kind: 'recv', collective: 0 }] : [])),
        collectives: [{ id: 0, name: 'pp x', category: 'pp', group: [0, 8], op: 'send', bytes: 1e6 }],
      };
      const own = runStepProgram(sends, cluster, { network: 'method-start-flow', recordSpans: false });
      expect(own.stepTimeNs).toBe(runStepProgram(sends, cluster, { network: 'analytical', recordSpans: false }).stepTimeNs);
    } finally {
      unregisterNetworkModel('method-start-flow');
    }
  });

  it('starts the collective when the slower member arrives and charges the other the wait', () => {
    const r = runStepProgram(program, cluster, { network: 'analytical', recordSpans: true });
    const phase = createAnalyticalNetwork(new Simulator(), cluster).phaseDuration([{ src: 0, dst: 8, bytes: 1e6 }, { src: 8, dst: 0, bytes: 1e6 }]);
    expect(r.stepTimeNs).toBe(300_000 + phase);
    expect(r.devices[0]?.waitNs).toBe(200_000);
    expect(r.devices[8]?.waitNs).toBe(0);
    for (const d of [0, 8]) {
      const acc = r.devices[d];
      const total = Object.values(acc?.computeNs ?? {}).reduce((a, b) => a + b, 0) + Object.values(acc?.commNs ?? {}).reduce((a, b) => a + b, 0) + (acc?.waitNs ?? 0);
      expect(total).toBe(r.stepTimeNs);
    }
    expect(r.commBytes).toEqual({ total: 2e6, intraServer: 0, interServer: 2e6 });
    expect(r.spans.filter((s) => s.kind === 'wait')).toHaveLength(1);
  });

  it('runs a kernel sequence as one task and records, accounts and traces each of its kernels', () => {
    const kernels = [
      { name: 'norm L0', category: 'norm', pass: 'forward' }, { name: 'fc1 dgrad L0', category: 'expert', pass: 'backward' }, { name: 'fc1 wgrad L0', category: 'expert', pass: 'wgrad' },
    ] as const;
    const seq: StepProgram = {
      devices: 16,
      tasks: Array.from({ length: 16 }, (_, d) => (d === 0 ? [
        { kind: 'kernels', kernels, durationsNs: [1000, 2000, 3000], durationNs: 6000, flops: 0 },
        { kind: 'compute', name: 'adam', category: 'optimizer', pass: 'optimizer', durationNs: 500, flops: 0 },
      ] : [])),
      collectives: [],
    };
    for (const recordSpans of [true, false]) {
      const r = runStepProgram(seq, cluster, { network: 'analytical', recordSpans });
      expect(r.stepTimeNs).toBe(6500);
      expect(r.devices[0]?.computeNs).toEqual({ norm: 1000, expert: 5000, optimizer: 500 });
      expect(r.devices[0]?.computeByPassNs).toEqual({ forward: 1000, backward: 2000, wgrad: 3000, optimizer: 500 });
      expect(r.criticalPath).toMatchObject({ computeNs: { norm: 1000, expert: 5000, optimizer: 500 }, computeByPassNs: { forward: 1000, backward: 2000, wgrad: 3000, optimizer: 500 }, gapNs: 0, segments: 4 });
      if (recordSpans) {
        expect(r.spans.map((x) => [x.name, x.category, x.pass, x.startNs, x.endNs])).toEqual([
          ['norm L0', 'norm', 'forward', 0, 1000], ['fc1 dgrad L0', 'expert', 'backward', 1000, 3000], ['fc1 wgrad L0', 'expert', 'wgrad', 3000, 6000],
          ['adam', 'optimizer', 'optimizer', 6000, 6500],
        ]);
      }
    }
  });

  it('gives the same step on the flow network for non-contending flows, and lists the links it used', () => {
    const analytical = runStepProgram(program, cluster, { network: 'analytical', recordSpans: false });
    const flow = runStepProgram(program, cluster, { network: 'flow', recordSpans: false });
    expect(flow.stepTimeNs).toBe(analytical.stepTimeNs);
    expect(flow.links.map((l) => l.name)).toEqual(analytical.links.map((l) => l.name));
    for (const l of flow.links) {
      expect(l.bytes).toBeCloseTo(1e6, 3);
      expect(l.peakUtilisation).toBeLessThanOrEqual(1 + 1e-9);
    }
    expect(flow.links.length).toBeGreaterThan(0);
  });

  it('raises a stall error naming the device whose collective partner never arrives', () => {
    const broken: StepProgram = { ...program, tasks: program.tasks.map((t, d) => (d === 8 ? [] : t)) };
    expect(() => runStepProgram(broken, cluster, { network: 'analytical', recordSpans: false })).toThrow(SimulationStalledError);
    expect(() => runStepProgram(broken, cluster, { network: 'analytical', recordSpans: false })).toThrow(/"device 0" waits for .*collective "x" complete/);
  });
});
