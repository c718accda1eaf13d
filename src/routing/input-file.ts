// Reading a file the user named, bounded: it must be a regular file (not a directory, device, FIFO or socket, which
// would read forever or fail deep inside), and no larger than the limit its kind states. Every problem is one
// InputError naming the file, what it was to be and the limit, so every command reports it the same way. It lives
// in routing, the lowest module that reads user files (npy features, routing traces); sim and studies use it for YAML.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../engine/index.ts';

/** Size limits of the inputs a user writes by hand or moesim writes for itself (bytes). */
export const INPUT_LIMITS = {
  /** A scenario, plan or sweep file: a few KB in practice. */
  yaml: 1 << 20,
  /** A JSON record moesim wrote (a routing trace's manifest, a sweep point, a merge shard). */
  json: 16 << 20,
  /** An .npy array (token features can be a few GB; beyond this it would not fit in the heap anyway). */
  npy: 4 * 2 ** 30,
} as const;

function describeKind(mode: number): string {
  const kind = mode & 0o170000;
  if (kind === 0o040000) return 'a directory';
  if (kind === 0o020000) return 'a character device';
  if (kind === 0o060000) return 'a block device';
  if (kind === 0o010000) return 'a FIFO';
  if (kind === 0o140000) return 'a socket';
  return 'not a regular file';
}

function sizeText(bytes: number): string {
  const unit = (n: number, name: string): string => `${Number.isInteger(n) ? n : n.toFixed(1)} ${name}`;
  return bytes >= 2 ** 30 ? unit(bytes / 2 ** 30, 'GiB') : bytes >= 2 ** 20 ? unit(bytes / 2 ** 20, 'MiB') : `${bytes} bytes`;
}

/** How readInputFile names the file in its errors. */
export interface InputFileNaming {
  /** The field the error belongs to (e.g. routing.replay). */
  field?: string | undefined;
  /** Prefix every message with this ("<path> (entries[…])") instead of naming `what` and the path. */
  origin?: string | undefined;
}

/** Opens `path` non-blocking (a FIFO would block the open itself) and checks it is a regular file of at most `maxBytes`; returns the fd and size. */
function openChecked(path: string, what: string, maxBytes: number, naming: InputFileNaming): { fd: number; size: number; fail: (problem: string) => never } {
  const fail = (problem: string): never => {
    throw new InputError(naming.origin !== undefined ? `${naming.origin}: ${problem}` : `${what} ${path} ${problem}`, naming.field);
  };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      if (naming.origin !== undefined) fail('file not found');
      throw new InputError(`${what} not found: ${path}`, naming.field);
    }
    return fail(code === 'EISDIR' ? 'is a directory, not a regular file' : `cannot be read (${code ?? String(err)})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) fail(`is ${describeKind(stat.mode)}, not a regular file`);
    if (stat.size > maxBytes) fail(`is ${sizeText(stat.size)}; a ${what} is read up to ${sizeText(maxBytes)}`);
    return { fd, size: stat.size, fail };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The checks of readInputFile without reading (validate: the file a run would read is there and readable). */
export function checkInputFile(path: string, what: string, maxBytes: number, naming: InputFileNaming = {}): void {
  closeSync(openChecked(path, what, maxBytes, naming).fd);
}

/**
 * The bytes of input file `path` (`what` names it in errors: "scenario file"), checked to be a regular file of at
 * most `maxBytes`, then read whole.
 */
export function readInputFile(path: string, what: string, maxBytes: number, naming: InputFileNaming = {}): Buffer {
  const { fd, size, fail } = openChecked(path, what, maxBytes, naming);
  try {
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === bytes.length ? bytes : bytes.subarray(0, at);
  } catch (err) {
    return fail(`cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  } finally {
    closeSync(fd);
  }
}

/** readInputFile as UTF-8 text. */
export function readInputText(path: string, what: string, maxBytes: number = INPUT_LIMITS.yaml, naming: InputFileNaming = {}): string {
  return readInputFile(path, what, maxBytes, naming).toString('utf8');
}
