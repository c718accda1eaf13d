// Runs a collective plan on a network model: its phases one after another, each a concurrent transfer.
// The returned Waitable completes when the last phase has finished (at once for a plan with no phases);
// simulateCollective runs one plan to completion and returns its duration. runPackedCollective does the same for a
// packed plan (packed-plan.ts), handing the network each phase in its packed form.
import { Completion } from '../../engine/index.ts';
import type { Simulator, TimeNs, Waitable } from '../../engine/index.ts';
import type { CollectivePlan } from './plan.ts';
import type { Flow } from '../network/types.ts';
import type { NetworkModel } from '../network/types.ts';
import { packedPhaseCount } from './packed-plan.ts';
import type { PackedPlan } from '../network/types.ts';

class CollectiveRun extends Completion<void> {
  private phase = 0;
  private readonly network: NetworkModel;
  private readonly plan: CollectivePlan | undefined;
  private readonly packed: PackedPlan | undefined;
  private readonly phases: number;
  private readonly label: string;

  constructor(sim: Simulator, network: NetworkModel, plan: CollectivePlan | undefined, packed: PackedPlan | undefined, label: string) {
    super(sim);
    this.network = network;
    this.plan = plan;
    this.packed = packed;
    this.phases = plan !== undefined ? plan.phases.length : packedPhaseCount(packed as PackedPlan);
    this.label = label;
    this.startPhase();
  }

  describe(): string {
    const { op, algo, group } = (this.plan ?? this.packed) as CollectivePlan | PackedPlan;
    const where = this.done ? 'done' : `phase ${this.phase + 1} of ${this.phases}`;
    return `collective "${this.label}" (${op}/${algo}, ${group.length} ranks): ${where}`;
  }

  private static next(run: CollectiveRun): void {
    run.phase++;
    run.startPhase();
  }

  private startPhase(): void {
    if (this.phase >= this.phases) {
      this.complete(undefined);
      return;
    }
    const phaseLabel = `${this.label} phase ${this.phase + 1}/${this.phases}`;
    const done = this.plan !== undefined
      ? this.network.transfer(this.plan.phases[this.phase] as Flow[], phaseLabel)
      : this.network.transferPacked(this.packed as PackedPlan, this.phase, phaseLabel);
    done.onDone(() => CollectiveRun.next(this));
  }
}

/** Starts `plan` now on `network`; the Waitable fires when all its phases have run in sequence. */
export function runCollective(sim: Simulator, network: NetworkModel, plan: CollectivePlan, label: string): Waitable<void> {
  return new CollectiveRun(sim, network, plan, undefined, label);
}

/** runCollective for a packed plan. */
export function runPackedCollective(sim: Simulator, network: NetworkModel, plan: PackedPlan, label: string): Waitable<void> {
  return new CollectiveRun(sim, network, undefined, plan, label);
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
