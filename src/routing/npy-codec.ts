// The .npy file format (numpy's NEP 1), read and written in memory: magic "\x93NUMPY", version 1.0, 2.0 or 3.0,
// a Python-dict header (descr, fortran_order, shape) padded to 64 bytes, then little-endian C-order data.
// Supported dtypes: <f4, <f2, <f8, <i4, <i8, |u1 (and |b1 read as uint8). Every problem is an InputError
// that names the origin (usually the file path) and what is wrong.
import { InputError } from '../engine/index.ts';

export type NpyDtype = 'float32' | 'float16' | 'float64' | 'int32' | 'int64' | 'uint8';

/** An n-dimensional array as stored: float16 as raw bit patterns, int64 as BigInt64Array. */
export type NpyData = Float32Array | Uint16Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

const DESCR_OF: Record<NpyDtype, string> = { float32: '<f4', float16: '<f2', float64: '<f8', int32: '<i4', int64: '<i8', uint8: '|u1' };
const DTYPE_OF: Record<string, NpyDtype> = {
  '<f4': 'float32', '<f2': 'float16', '<f8': 'float64', '<i4': 'int32', '<i8': 'int64', '|u1': 'uint8', '<u1': 'uint8', 'u1': 'uint8', '|b1': 'uint8',
};
const ITEM_SIZE: Record<NpyDtype, number> = { float32: 4, float16: 2, float64: 8, int32: 4, int64: 8, uint8: 1 };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function itemSize(dtype: NpyDtype): number {
  return ITEM_SIZE[dtype];
}

export function shapeSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Parse numpy's header dict, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }. */
function parseHeaderDict(text: string, origin: string): Record<string, string | boolean | number[]> {
  const bad = (what: string): InputError => new InputError(`${origin}: malformed .npy header (${what}): ${text.trim().slice(0, 120)}`);
  const s = text.trim();
  if (!s.startsWith('{') || !s.endsWith('}')) throw bad('not a Python dict');
  const out: Record<string, string | boolean | number[]> = {};
  if (/:\s*\[/.test(s)) throw bad('a list value: structured dtypes are not supported');
  const entry = /\s*(['"])([^'"]+)\1\s*:\s*('[^']*'|"[^"]*"|True|False|\([^)]*\))\s*(,|$)/y;
  const body = s.slice(1, -1);
  let pos = 0;
  while (pos < body.length && body.slice(pos).trim() !== '') {
    entry.lastIndex = pos;
    const m = entry.exec(body);
    if (!m) throw bad(`cannot read the entry at "${body.slice(pos, pos + 30).trim()}"`);
    const key = m[2] as string;
    const raw = m[3] as string;
    if (raw === 'True' || raw === 'False') out[key] = raw === 'True';
    else if (raw.startsWith('(')) {
      const items = raw.slice(1, -1).split(',').map((x) => x.trim()).filter((x) => x !== '');
      out[key] = items.map((x) => {
        const n = Number(x.replace(/L$/, ''));
        if (!Number.isSafeInteger(n) || n < 0) throw bad(`shape entry "${x}" is not a non-negative integer`);
        return n;
      });
    } else out[key] = raw.slice(1, -1);
    pos = entry.lastIndex;
  }
  return out;
}

/** Decode a whole .npy file. */
export function decodeNpy(bytes: Uint8Array, origin: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new InputError(`${origin}: not a .npy file (bad magic: expected \\x93NUMPY at the start)`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (!(major >= 1 && major <= 3) || minor !== 0) throw new InputError(`${origin}: unsupported .npy version ${major}.${minor} (moesim reads 1.0, 2.0 and 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) throw new InputError(`${origin}: truncated .npy header`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lenBytes + headerLen;
  if (bytes.length < dataStart) throw new InputError(`${origin}: truncated .npy header (needs ${dataStart} bytes, file has ${bytes.length})`);
  const headerText = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lenBytes, dataStart));
  const header = parseHeaderDict(headerText, origin);
  const { descr, fortran_order: fortran, shape } = header;
  if (typeof descr !== 'string') throw new InputError(`${origin}: .npy header has no "descr" string`);
  if (typeof fortran !== 'boolean') throw new InputError(`${origin}: .npy header has no "fortran_order" flag`);
  if (!Array.isArray(shape)) throw new InputError(`${origin}: .npy header has no "shape" tuple`);
  if (fortran && shape.length > 1) {
    throw new InputError(`${origin}: Fortran-order (column-major) arrays are not supported; save with np.save(path, np.ascontiguousarray(a))`);
  }
  const dtype = DTYPE_OF[descr];
  if (!dtype) {
    const hint = descr.startsWith('>') ? ' (big-endian; convert with a.astype(a.dtype.newbyteorder("<")))' : '';
    throw new InputError(`${origin}: unsupported dtype "${descr}"${hint}; accepted: <f4, <f2, <f8, <i4, <i8, |u1`);
  }
  const count = shapeSize(shape);
  const expected = count * ITEM_SIZE[dtype];
  const actual = bytes.length - dataStart;
  if (actual < expected) throw new InputError(`${origin}: truncated data: shape (${shape.join(', ')}) of ${descr} needs ${expected} bytes, the file has ${actual}`);
  if (actual > expected) throw new InputError(`${origin}: ${actual - expected} unexpected bytes after the data of shape (${shape.join(', ')}) ${descr}`);
  const owned = new Uint8Array(expected); // an aligned copy (a Node Buffer's slice() is a view into a shared pool)
  owned.set(bytes.subarray(dataStart, dataStart + expected));
  const copy = owned.buffer;
  const data: NpyData =
    dtype === 'float32' ? new Float32Array(copy) : dtype === 'float16' ? new Uint16Array(copy) : dtype === 'float64' ? new Float64Array(copy)
      : dtype === 'int32' ? new Int32Array(copy) : dtype === 'int64' ? new BigInt64Array(copy) : new Uint8Array(copy);
  return { dtype, shape, data };
}

/** Encode an array as a version 1.0 .npy file (2.0 when the header does not fit in 65,535 bytes). */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { dtype, shape, data } = array;
  if (shapeSize(shape) !== data.length) throw new RangeError(`encodeNpy: shape (${shape.join(', ')}) holds ${shapeSize(shape)} items, data has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${DESCR_OF[dtype]}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let major = 1;
  let prefix = 10;
  let total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  if (total - prefix > 65535) {
    major = 2;
    prefix = 12;
    total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  }
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new Uint8Array(total + payload.length);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, total - prefix, true);
  else view.setUint32(8, total - prefix, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  out.set(payload, total);
  return out;
}
