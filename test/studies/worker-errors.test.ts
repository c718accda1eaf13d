// Errors thrown in worker threads keep their kind (issue 18): an InputError raised by a task on a pool thread reaches
// the caller as an InputError with its field, so the CLI exits 2 with its one line, as it does in-process; any other
// error stays an internal one.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/engine/index.ts';
import { runTasks } from '../../src/studies/index.ts';
import { tasks } from './fixtures/input-error-task.ts';

describe('worker-pool errors', () => {
  for (const workers of [1, 2]) {
    it(`an InputError from a task is an InputError with its field (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      const err = await runTasks(tasks, ['fine', 'bad'], workers).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe('routers');
      expect((err as InputError).message).toMatch(/unknown router/);
      const bug = await runTasks(tasks, ['fine', 'bug'], workers).then(() => undefined, (e: unknown) => e);
      expect(bug).toBeInstanceOf(Error);
      expect(bug).not.toBeInstanceOf(InputError);
      expect(await runTasks(tasks, ['a', 'b'], workers)).toEqual(['a', 'b']);
    }, 60_000);
  }
});
