// The .npy codec: round trips for every dtype, byte-for-byte agreement with files numpy 2.4 wrote, float16
// conversion (exhaustive over all 65,536 bit patterns, plus rounding ties, subnormals, overflow, NaN), and an
// InputError naming the file for each kind of corrupt input.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/engine/index.ts';
import type { NpyArray } from '../../src/routing/index.ts';
import {
  decodeNpy, encodeNpy, float16BitsToNumber, float16ToFloat32, float32ToFloat16, npyToFloat32, npyToInt32, numberToFloat16Bits,
} from '../../src/routing/index.ts';

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const header = (dict: string, version = 1): string => {
  const prefix = version === 1 ? 10 : 12;
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const body = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const len = total - prefix;
  const lenHex = version === 1 ? [len & 255, len >> 8] : [len & 255, (len >> 8) & 255, 0, 0];
  return ['934e554d5059', `0${version}00`, ...lenHex.map((b) => b.toString(16).padStart(2, '0')), Buffer.from(body, 'latin1').toString('hex')].join('');
};
// Files written by numpy 2.4.6 (np.save; format.write_array for versions 2.0 and 3.0).
const NUMPY = {
  f32: header("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }") + '000000000000803f0000004000004040000080400000a0400000c0400000e04000000041000010410000204100003041',
  f16: header("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }") + '0000003c00c1ff7b007c0100',
  i64: header("{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }") + '0000000000000000e803000000000000d007000000000000b80b000000000000a00f000000000000',
  u1: header("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }") + '000101',
  v2: header("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", 2) + '000000000000803f0000004000004040000080400000a040',
  v3: header("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", 3) + '000000000100000002000000',
  fortran: header("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }") + '0000803f'.repeat(6),
  bigEndian: header("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }") + '3f800000'.repeat(3),
};

function expectInputError(fn: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect((caught as Error).message).toMatch(pattern);
}

describe('npy codec', () => {
  it('reads files numpy wrote (versions 1.0, 2.0, 3.0; f4, f2, i8, u1)', () => {
    const f32 = decodeNpy(hex(NUMPY.f32), 'f32.npy');
    expect(f32).toMatchObject({ dtype: 'float32', shape: [3, 4] });
    expect(Array.from(f32.data as Float32Array)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(Array.from(float16ToFloat32(decodeNpy(hex(NUMPY.f16), 'f16.npy').data as Uint16Array))).toEqual([0, 1, -2.5, 65504, Infinity, 2 ** -24]);
    expect(Array.from(npyToInt32(decodeNpy(hex(NUMPY.i64), 'i64.npy'), 'i64.npy'))).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(Array.from(decodeNpy(hex(NUMPY.u1), 'u1.npy').data as Uint8Array)).toEqual([0, 1, 1]);
    expect(decodeNpy(hex(NUMPY.v2), 'v2.npy')).toMatchObject({ dtype: 'float32', shape: [2, 3] });
    expect(Array.from(decodeNpy(hex(NUMPY.v3), 'v3.npy').data as Int32Array)).toEqual([0, 1, 2]);
  });

  it('writes exactly the bytes numpy writes', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i);
    expect(Buffer.from(encodeNpy({ dtype: 'float32', shape: [3, 4], data })).toString('hex')).toBe(NUMPY.f32);
    expect(Buffer.from(encodeNpy({ dtype: 'uint8', shape: [3], data: Uint8Array.of(0, 1, 1) })).toString('hex')).toBe(NUMPY.u1);
  });

  it('round-trips every dtype, including empty and 3-d arrays', () => {
    const arrays: NpyArray[] = [
      { dtype: 'float32', shape: [2, 3], data: Float32Array.of(1.5, -2, 3e-38, 0, -0, 7) },
      { dtype: 'float16', shape: [4], data: Uint16Array.of(0x3c00, 0x8001, 0x7c00, 0x7e00) },
      { dtype: 'float64', shape: [2], data: Float64Array.of(Math.PI, -1e300) },
      { dtype: 'int32', shape: [2, 1, 2], data: Int32Array.of(-2147483648, 2147483647, 0, -1) },
      { dtype: 'int64', shape: [2], data: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n) },
      { dtype: 'uint8', shape: [0], data: new Uint8Array(0) },
    ];
    for (const a of arrays) {
      const bytes = encodeNpy(a);
      expect(bytes.length % 64 === (a.data.byteLength % 64)).toBe(true); // header padded to 64 bytes
      const back = decodeNpy(bytes, 'x.npy');
      expect(back.dtype).toBe(a.dtype);
      expect(back.shape).toEqual(a.shape);
      expect(Buffer.from(back.data.buffer)).toEqual(Buffer.from(a.data.buffer));
    }
  });

  it('rejects corrupt files with an InputError naming the file and the problem', () => {
    expectInputError(() => decodeNpy(hex('504b0304' + '00'.repeat(20)), 'a.npy'), /^a\.npy: not a \.npy file \(bad magic/);
    expectInputError(() => decodeNpy(hex(NUMPY.bigEndian), 'b.npy'), /^b\.npy: unsupported dtype ">f4" \(big-endian/);
    expectInputError(() => decodeNpy(hex(NUMPY.fortran), 'c.npy'), /^c\.npy: Fortran-order/);
    expectInputError(() => decodeNpy(hex(NUMPY.f32.slice(0, -8)), 'd.npy'), /^d\.npy: truncated data: shape \(3, 4\) of <f4 needs 48 bytes, the file has 44/);
    expectInputError(() => decodeNpy(hex(NUMPY.f32 + '00'), 'e.npy'), /^e\.npy: 1 unexpected bytes/);
    expectInputError(() => decodeNpy(hex(NUMPY.f32.slice(0, 40)), 'f.npy'), /^f\.npy: truncated \.npy header/);
    expectInputError(() => decodeNpy(hex(header("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }") + '00000000'), 'g.npy'), /structured dtypes/);
    expectInputError(() => decodeNpy(hex(header("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }") + '00'.repeat(8)), 'h.npy'), /unsupported dtype "<c8"/);
    const nan = encodeNpy({ dtype: 'float32', shape: [2, 2], data: Float32Array.of(0, 1, 2, NaN) });
    expectInputError(() => npyToFloat32(decodeNpy(nan, 'n.npy'), 'n.npy'), /^n\.npy: value at flat index 3 \(row 1, column 1\) is NaN/);
    const big = encodeNpy({ dtype: 'int64', shape: [2], data: BigInt64Array.of(1n, 2n ** 40n) });
    expectInputError(() => npyToInt32(decodeNpy(big, 'i.npy'), 'i.npy'), /^i\.npy: int64 value 1099511627776 at index 1 does not fit in int32/);
    expectInputError(() => npyToFloat32(decodeNpy(hex(NUMPY.u1), 'u.npy'), 'u.npy'), /expected floating point/);
  });
});

describe('float16 conversion', () => {
  it('decodes the special values', () => {
    expect(float16BitsToNumber(0x0001)).toBe(2 ** -24); // smallest subnormal
    expect(float16BitsToNumber(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
    expect(float16BitsToNumber(0x0400)).toBe(2 ** -14); // smallest normal
    expect(float16BitsToNumber(0x7bff)).toBe(65504);
    expect(float16BitsToNumber(0xfc00)).toBe(-Infinity);
    expect(Object.is(float16BitsToNumber(0x8000), -0)).toBe(true);
    expect(float16BitsToNumber(0x7e00)).toBeNaN();
  });

  it('round-trips all 65,536 bit patterns (NaNs stay NaN)', () => {
    const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const back = float32ToFloat16(float16ToFloat32(all));
    for (let b = 0; b < 65536; b++) {
      const isNaN = (b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0;
      if (isNaN) expect(((back[b] as number) & 0x7c00) === 0x7c00 && ((back[b] as number) & 0x3ff) !== 0).toBe(true);
      else if (back[b] !== b) expect.fail(`0x${b.toString(16)} came back as 0x${(back[b] as number).toString(16)}`);
    }
  });

  it('rounds to nearest, ties to even, at every midpoint between consecutive finite halves', () => {
    for (let b = 0; b < 0x7bff; b++) {
      const lo = float16BitsToNumber(b);
      const hi = float16BitsToNumber(b + 1);
      const mid = (lo + hi) / 2; // exact in float32 (12 significant bits)
      const even = b % 2 === 0 ? b : b + 1;
      if (numberToFloat16Bits(mid) !== even) expect.fail(`midpoint of 0x${b.toString(16)} rounds to 0x${numberToFloat16Bits(mid).toString(16)}`);
      if (numberToFloat16Bits(-mid) !== (0x8000 | even)) expect.fail(`negative midpoint of 0x${b.toString(16)}`);
    }
  });

  it('overflows to infinity at 65520, underflows to zero below 2^-25, and keeps NaN', () => {
    expect(numberToFloat16Bits(65519.99)).toBe(0x7bff);
    expect(numberToFloat16Bits(65520)).toBe(0x7c00);
    expect(numberToFloat16Bits(-1e10)).toBe(0xfc00);
    expect(numberToFloat16Bits(2 ** -25)).toBe(0); // tie between 0 and the smallest subnormal → even (0)
    expect(numberToFloat16Bits(1.5 * 2 ** -25)).toBe(1);
    expect(numberToFloat16Bits(2 ** -26)).toBe(0);
    expect(numberToFloat16Bits(-(2 ** -30))).toBe(0x8000);
    expect(float16BitsToNumber(numberToFloat16Bits(NaN))).toBeNaN();
    expect(numberToFloat16Bits(Infinity)).toBe(0x7c00);
  });
});
