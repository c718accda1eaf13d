// A toy network model, written the way docs/ARCHITECTURE.md (extension point "a network model") says a newcomer would:
// an "ideal fabric" where every flow runs alone at its route's bottleneck bandwidth, so a phase costs its slowest
// flow's path latency plus bytes over that bottleneck, and concurrent flows and phases never share a link. It uses only
// the public doors (moesim's engine and topology modules, and moesim/testing's types).
import { Timeout, ceilSecondsToNs } from '../../src/engine/index.ts';
import type { Simulator, Waitable } from '../../src/engine/index.ts';
import type { Cluster, LinkActivity } from '../../src/topology/index.ts';
import { LinkActivityRecorder, unpackPhase } from '../../src/topology/index.ts';
import type { Flow, NetworkModel, NetworkModelEntry, PackedPlan } from '../../src/testing.ts';

class IdealFabric implements NetworkModel {
  readonly kind = 'ideal-fabric';
  private readonly bytes: Float64Array;
  private readonly activity: LinkActivityRecorder;

  constructor(private readonly sim: Simulator, readonly cluster: Cluster) {
    this.bytes = new Float64Array(cluster.links.length);
    this.activity = new LinkActivityRecorder(cluster.links.length);
  }

  phaseDuration(flows: readonly Flow[]): number {
    let longest = 0;
    for (const f of flows) {
      if (f.src === f.dst || f.bytes === 0) continue;
      const bottleneck = Math.min(...this.cluster.route(f.src, f.dst).map((l) => this.cluster.links[l]!.bandwidth));
      longest = Math.max(longest, this.cluster.pathLatencyNs(f.src, f.dst) + ceilSecondsToNs(f.bytes / bottleneck));
    }
    return longest;
  }

  transfer(flows: readonly Flow[], label: string): Waitable<void> {
    flows.forEach((f, i) => {
      const ok = [f.src, f.dst].every((d) => Number.isInteger(d) && d >= 0 && d < this.cluster.devices) && Number.isFinite(f.bytes) && f.bytes >= 0;
      if (!ok) throw new Error(`transfer "${label}": flow ${i} (${f.src}→${f.dst}, ${f.bytes} bytes) is not valid on ${this.cluster.devices} devices`);
    });
    const duration = this.phaseDuration(flows);
    for (const f of flows) {
      if (f.src === f.dst || f.bytes === 0) continue;
      for (const l of this.cluster.route(f.src, f.dst)) {
        this.bytes[l] = this.bytes[l]! + f.bytes;
        if (duration > 0) this.activity.addInterval(l, this.sim.now, this.sim.now + duration, (f.bytes * 1e9) / duration);
      }
    }
    return new Timeout(this.sim, duration, `transfer "${label}"`);
  }

  transferPacked(plan: PackedPlan, phase: number, label: string): Waitable<void> {
    return this.transfer(unpackPhase(plan, phase), label);
  }

  linkBytes(): Float64Array {
    return Float64Array.from(this.bytes);
  }

  linkActivity(): LinkActivity {
    return this.activity.snapshot(this.sim.now);
  }
}

/** The registry entry a newcomer registers: its name, one line of description, the factory and its capabilities. */
export const IDEAL_FABRIC: NetworkModelEntry = {
  name: 'ideal-fabric',
  description: 'every flow alone at its route\'s bottleneck bandwidth; no link is ever shared (a lower bound)',
  create: (sim, cluster) => new IdealFabric(sim, cluster),
  capabilities: { contention: false, orderIndependent: true, startFlow: false },
};
