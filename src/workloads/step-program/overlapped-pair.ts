// Two pipeline units of different micro-batches run as one overlapped pair, so that one's expert all-to-alls run in
// the background while the other computes: Megatron-Core's 1F1B all-to-all overlap and DualPipe's forward-backward
// chunk pairs. Each unit's tasks are built apart (StageBuilder.capture), then interleaved per device: both units'
// leading pipeline receives first, then a unit runs until its next dispatch or combine, which it starts in the
// background, and the other unit takes over; a unit resumes once its all-to-all is done (a wait, for the part the
// other unit's compute did not hide). Every device of an EP group interleaves the same structure the same way, so
// all of them join their collectives in the same order. TP collectives and pipeline sends stay in their units' order.
import type { CollectiveTask, Task, WaitTask } from './types.ts';
import type { StageBuilder } from './stage-builder.ts';

/** Interned background joins and waits by collective id, shared by the devices of a collective. */
class Switches {
  private readonly joins = new Map<number, CollectiveTask>();
  private readonly waits = new Map<number, WaitTask>();

  constructor(private readonly stage: StageBuilder) {}

  /** A blocking expert all-to-all: where the pair switches units. */
  isSwitch(task: Task): task is CollectiveTask {
    if (task.kind !== 'collective' || task.async) return false;
    const category = this.stage.collectiveCategory(task.collective);
    return category === 'ep-dispatch' || category === 'ep-combine';
  }

  join(id: number): CollectiveTask {
    let t = this.joins.get(id);
    if (t === undefined) this.joins.set(id, (t = { kind: 'collective', collective: id, async: true }));
    return t;
  }

  wait(id: number): WaitTask {
    let t = this.waits.get(id);
    if (t === undefined) this.waits.set(id, (t = { kind: 'wait', name: 'ep overlap', collectives: [id] }));
    return t;
  }
}

/** One device's two task lists interleaved at their expert all-to-alls. */
function interleave(units: readonly (readonly Task[])[], switches: Switches): Task[] {
  const out: Task[] = [];
  const pos = [0, 0];
  // Both units' receives first: each then runs as soon as the other hands over.
  for (let u = 0; u < 2; u++) {
    const list = units[u]!;
    while (pos[u]! < list.length && list[pos[u]!]!.kind === 'recv') out.push(list[pos[u]!++]!);
  }
  const pending = [-1, -1];
  let u = 0;
  while (pos[0]! < units[0]!.length || pos[1]! < units[1]!.length) {
    const list = units[u]!;
    if (pending[u]! >= 0) {
      out.push(switches.wait(pending[u]!));
      pending[u] = -1;
    }
    while (pos[u]! < list.length) {
      const task = list[pos[u]!++]!;
      if (switches.isSwitch(task)) {
        out.push(switches.join(task.collective));
        pending[u] = task.collective;
        break;
      }
      out.push(task);
    }
    u = 1 - u;
  }
  for (const id of pending) if (id >= 0) out.push(switches.wait(id));
  return out;
}

/** Emits two units (`first`, then `second`) on the stage as one overlapped pair. */
export function overlappedPair(stage: StageBuilder, first: () => void, second: () => void): void {
  const a = stage.capture(first);
  const b = stage.capture(second);
  const switches = new Switches(stage);
  stage.append(a.map((list, i) => interleave([list, b[i]!], switches)));
}
