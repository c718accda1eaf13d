// The eight-phase step that DeepSeek's DualPipe and its cut-in-half form DualPipeV share (github.com/deepseek-ai/
// DualPipe). A rank drives two streams of micro-batches, "phase 0" and "phase 1", each a FIFO of micro-batches through
// one of its two chunks; the schedules differ only in what a phase is (DualPipe: a direction through the pipe,
// DualPipeV: a leg of the V) and in the rank's position h on it. With n positions along a leg and C micro-batches
// per phase, position h runs:
//   1. 2(n − h − 1) phase-0 forwards (warm-up);
//   2. h + 1 times a phase-0 forward then a phase-1 forward;
//   3. n − h − 1 times a phase-1 B with W held back, one held-back W, a phase-1 forward (zero-bubble style);
//   4. the steady phase, C − 2n + h + 1 times: an overlapped F&B pair (phase-0 forward with a phase-1 backward), then
//      a pair the other way round (phase-1 forward with a phase-0 backward); at the rank where the legs meet the very
//      first of these pairs runs as a plain forward then backward, which shortens the critical path;
//   5. n − h − 1 times a phase-1 backward, then a (phase-1 forward, phase-0 backward) pair;
//   6. h + 1 times a phase-1 then a phase-0 backward, holding back the W of the second half of these backwards;
//   7. n − h − 1 times one held-back W, then a phase-0 B whose W is held back;
//   8. the h + 1 held-back W still owed.
// A backward not held back is a whole backward: its B unit with its W right after. Held-back W run oldest first.
import type { PipelineUnit } from './schedule-types.ts';

export type Phase = 0 | 1;

/** Where the k-th micro-batch of a phase runs: its micro-batch number, virtual stage and (DualPipe) direction. */
export type PhasePlacement = (phase: Phase, k: number) => Pick<PipelineUnit, 'microBatch' | 'virtualStage' | 'direction'>;

/** Appends units phase by phase, counting each phase's forwards and backwards and queueing held-back W. */
class PhaseRecorder {
  readonly units: PipelineUnit[] = [];
  private readonly forwards = [0, 0];
  private readonly backwards = [0, 0];
  private readonly heldBack: PipelineUnit[] = [];

  constructor(private readonly place: PhasePlacement) {}

  forward(phase: Phase, overlapWithNext = false): void {
    const unit: PipelineUnit = { pass: 'forward', ...this.place(phase, this.forwards[phase]!++) };
    if (overlapWithNext) unit.overlapWithNext = true;
    this.units.push(unit);
  }

  /** A phase's next B; its W follows at once unless `holdWeight`, which queues it for weight(). */
  backward(phase: Phase, holdWeight = false): void {
    const at = this.place(phase, this.backwards[phase]!++);
    if (holdWeight) {
      this.units.push({ pass: 'backward', ...at, weightHeldBack: true });
      this.heldBack.push({ pass: 'weight', ...at });
    } else this.units.push({ pass: 'backward', ...at }, { pass: 'weight', ...at });
  }

  /** The oldest held-back W. */
  weight(): void {
    const unit = this.heldBack.shift();
    if (!unit) throw new Error('dual-pipe schedule: a weight pass with none held back (a bug in the phase counts)');
    this.units.push(unit);
  }

  /** An F&B pair: the forward of `forwardPhase` overlapped with the (whole) backward of the other phase. */
  pair(forwardPhase: Phase): void {
    this.forward(forwardPhase, true);
    this.backward(forwardPhase === 0 ? 1 : 0);
  }

  get pendingWeights(): number {
    return this.heldBack.length;
  }
}

/**
 * The units of the rank at position h (0 … n − 1) of a leg of n positions, with `perPhase` micro-batches in each
 * phase (≥ 2n); `meeting`: the rank where the two legs meet (DualPipe's middle ranks, DualPipeV's last rank).
 */
export function dualPipeSteps(n: number, h: number, perPhase: number, meeting: boolean, place: PhasePlacement): PipelineUnit[] {
  const r = new PhaseRecorder(place);
  const rest = n - h - 1;
  for (let i = 0; i < 2 * rest; i++) r.forward(0);
  for (let i = 0; i <= h; i++) { r.forward(0); r.forward(1); }
  for (let i = 0; i < rest; i++) { r.backward(1, true); r.weight(); r.forward(1); }
  const steady = perPhase - 2 * n + h + 1;
  for (let i = 0; i < steady; i++) {
    if (i === 0 && meeting) { r.forward(0); r.backward(1); } else r.pair(0);
    r.pair(1);
  }
  for (let i = 0; i < rest; i++) { r.backward(1); r.pair(1); }
  let hold = false;
  const half = Math.floor((h + 1) / 2);
  for (let i = 0; i <= h; i++) {
    if (i === half && h % 2 === 1) hold = true;
    r.backward(1, hold);
    if (i === half && h % 2 === 0) hold = true;
    r.backward(0, hold);
  }
  for (let i = 0; i < rest; i++) { r.weight(); r.backward(0, true); }
  for (let i = 0; i <= h; i++) r.weight();
  if (r.pendingWeights !== 0) throw new Error(`dual-pipe schedule: ${r.pendingWeights} weight passes left over (a bug in the phase counts)`);
  return r.units;
}
