// .npy files on disk and the conversions their users need: any float dtype to float32 (NaN and ±Infinity
// rejected), int32/int64 to int32 with a range check. Errors are InputErrors naming the file.
import { writeFileSync } from 'node:fs';
import { InputError } from '../engine/index.ts';
import { INPUT_LIMITS, readInputFile } from './input-file.ts';
import type { NpyArray } from './npy-codec.ts';
import { decodeNpy, encodeNpy } from './npy-codec.ts';
import { float16ToFloat32 } from './npy-float16.ts';

/** Read and decode a .npy file; a missing or unreadable file is an InputError naming it. */
export function readNpyFile(path: string): NpyArray {
  return decodeNpy(readInputFile(path, 'npy file', INPUT_LIMITS.npy, { origin: path }), path);
}

export function writeNpyFile(path: string, array: NpyArray): Uint8Array {
  const bytes = encodeNpy(array);
  writeFileSync(path, bytes);
  return bytes;
}

/** float32 values of a float16, float32 or float64 array; a NaN or infinite value is an InputError. */
export function npyToFloat32(array: NpyArray, origin: string): Float32Array {
  let out: Float32Array;
  if (array.dtype === 'float32') out = array.data as Float32Array;
  else if (array.dtype === 'float16') out = float16ToFloat32(array.data as Uint16Array);
  else if (array.dtype === 'float64') out = Float32Array.from(array.data as Float64Array);
  else throw new InputError(`${origin}: dtype ${array.dtype}; expected floating point (float32, float16 or float64)`);
  let probe = 0;
  for (let i = 0; i < out.length; i++) probe += out[i]! * 0;
  if (probe !== 0) {
    const i = out.findIndex((v) => !Number.isFinite(v));
    const where = array.shape.length > 1 ? `row ${Math.floor(i / (array.shape.at(-1) ?? 1))}, column ${i % (array.shape.at(-1) ?? 1)}` : `index ${i}`;
    const overflow = array.dtype === 'float64' && Number.isFinite((array.data as Float64Array)[i]) ? ' (too large for float32)' : '';
    throw new InputError(`${origin}: value at flat index ${i} (${where}) is ${out[i]}${overflow}; values must be finite`);
  }
  return out;
}

/** int32 values of an int32 or int64 array (int64 values outside the int32 range are an InputError). */
export function npyToInt32(array: NpyArray, origin: string): Int32Array {
  if (array.dtype === 'int32') return array.data as Int32Array;
  if (array.dtype === 'int64') {
    const src = array.data as BigInt64Array;
    const out = new Int32Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i] as bigint;
      if (v < -2147483648n || v > 2147483647n) throw new InputError(`${origin}: int64 value ${v} at index ${i} does not fit in int32`);
      out[i] = Number(v);
    }
    return out;
  }
  throw new InputError(`${origin}: dtype ${array.dtype}; expected integers (int32 or int64)`);
}
