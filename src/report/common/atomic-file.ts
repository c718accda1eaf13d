// Writing a file atomically: the text goes to a temporary file in the same directory (unique per process and thread),
// which is then renamed over the target, so a reader never sees a half-written file.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';

let tmpCounter = 0;

/** Write `text` to `path` through a temporary file in the same directory and a rename. */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${threadId}.${++tmpCounter}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
