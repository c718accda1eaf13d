// Runs a collective plan on a network model: its phases one after another, each a concurrent transfer.
// The returned Waitable completes when the last phase has finished (at once for a plan with no phases);
// simulateCollective runs one plan to completion and returns its duration.
import { Completion } from '../engine/index.ts';
import type { Simulator, TimeNs, Waitable } from '../engine/index.ts';
import type { CollectivePlan } from './collectives.ts';
import type { NetworkModel } from './network-types.ts';

class CollectiveRun extends Completion<void> {
  private phase = 0;
  private readonly network: NetworkModel;
  private readonly plan: CollectivePlan;
  private readonly label: string;

  constructor(sim: Simulator, network: NetworkModel, plan: CollectivePlan, label: string) {
    super(sim);
    this.network = network;
    this.plan = plan;
    this.label = label;
    this.startPhase();
  }

  describe(): string {
    const { op, algo, phases } = this.plan;
    const where = this.done ? 'done' : `phase ${this.phase + 1} of ${phases.length}`;
    return `collective "${this.label}" (${op}/${algo}, ${this.plan.group.length} ranks): ${where}`;
  }

  private startPhase(): void {
    const flows = this.plan.phases[this.phase];
    if (flows === undefined) {
      this.complete(undefined);
      return;
    }
    const phaseLabel = `${this.label} phase ${this.phase + 1}/${this.plan.phases.length}`;
    this.network.transfer(flows, phaseLabel).onDone(() => {
      this.phase++;
      this.startPhase();
    });
  }
}

/** Starts `plan` now on `network`; the Waitable fires when all its phases have run in sequence. */
export function runCollective(sim: Simulator, network: NetworkModel, plan: CollectivePlan, label: string): Waitable<void> {
  return new CollectiveRun(sim, network, plan, label);
}

/**
 * Starts `plan` now, runs the simulator until its queue is empty, and returns the plan's duration in ns.
 * Meant for a simulator with nothing else scheduled (other events would run too).
 */
export function simulateCollective(sim: Simulator, network: NetworkModel, plan: CollectivePlan, label: string = plan.op): TimeNs {
  const start = sim.now;
  let finishedAt = -1;
  runCollective(sim, network, plan, label).onDone(() => {
    finishedAt = sim.now;
  });
  sim.run();
  if (finishedAt < 0) throw new Error(`internal: collective "${label}" did not complete`);
  return finishedAt - start;
}
