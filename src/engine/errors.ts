// Errors the simulator raises instead of hanging or failing quietly: a stall (processes blocked with no
// events left), a failing process, and a zero-delay livelock.
import { formatTime } from './time.ts';
import type { TimeNs } from './time.ts';

/** One blocked process in a stall report. */
export interface WaitingProcess {
  /** The process name. */
  process: string;
  /** describe() of what it waits for, e.g. `signal "a2a-done[layer 0]"`. */
  waitsFor: string;
}

/** The event queue ran empty while processes were still waiting: nothing can ever wake them. */
export class SimulationStalledError extends Error {
  override readonly name = 'SimulationStalledError';
  readonly time: TimeNs;
  /** Blocked processes in creation order. */
  readonly waiting: WaitingProcess[];

  constructor(time: TimeNs, waiting: WaitingProcess[]) {
    const count = waiting.length === 1 ? '1 process' : `${waiting.length} processes`;
    const lines = waiting.map((w) => `\n  - "${w.process}" waits for ${w.waitsFor}`).join('');
    super(`simulation stalled at ${formatTime(time)}: ${count} still waiting:${lines}`);
    this.time = time;
    this.waiting = waiting;
  }
}

/** An exception escaped a process body. `cause` is the original exception. */
export class ProcessError extends Error {
  override readonly name = 'ProcessError';
  readonly processName: string;
  readonly time: TimeNs;

  constructor(processName: string, time: TimeNs, cause: unknown) {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`${processName}: process failed at ${formatTime(time)}: ${detail}`, { cause });
    this.processName = processName;
    this.time = time;
  }
}

/** Too many events fired without the clock advancing: almost certainly a zero-delay loop. */
export class SimulationLivelockError extends Error {
  override readonly name = 'SimulationLivelockError';
  readonly time: TimeNs;
  readonly eventsAtOneTime: number;

  constructor(time: TimeNs, eventsAtOneTime: number, limit: number) {
    super(
      `simulation livelock at ${formatTime(time)}: ${eventsAtOneTime} events fired without time advancing ` +
        `(limit maxEventsAtOneTime=${limit}); look for a zero-delay loop, or raise the limit if this is intended`,
    );
    this.time = time;
    this.eventsAtOneTime = eventsAtOneTime;
  }
}
