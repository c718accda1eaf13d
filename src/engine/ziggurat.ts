// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000, 128 layers): one 32-bit draw and a
// table look-up for about 98% of samples, an exact rejection step for the rest. Deterministic given the stream.

const LAYERS = 128;
const R = 3.442619855899; // start of the tail
const AREA = 9.91256303526217e-3; // area of each layer
const M1 = 2147483648; // 2^31

/** kn: acceptance thresholds on |hz|; wn: scale from hz to x; fn: density at each layer's edge. */
const kn = new Float64Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
{
  let dn = R;
  let tn = dn;
  const q = AREA / Math.exp(-0.5 * dn * dn);
  kn[0] = (dn / q) * M1;
  kn[1] = 0;
  wn[0] = q / M1;
  wn[LAYERS - 1] = dn / M1;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(AREA / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = (dn / tn) * M1;
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / M1;
  }
}

/** The random source a ziggurat draw needs: signed 32-bit integers and uniforms in [0, 1). */
export interface ZigguratSource {
  nextUint32(): number;
  uniform(): number;
}

/** One N(0, 1) deviate. */
export function zigguratNormal(source: ZigguratSource): number {
  let hz = source.nextUint32() | 0;
  let iz = hz & (LAYERS - 1);
  if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
  for (;;) {
    if (iz === 0) {
      // The tail beyond R (Marsaglia 1964).
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - source.uniform()) / R;
        y = -Math.log(1 - source.uniform());
      } while (y + y < x * x);
      return hz > 0 ? R + x : -R - x;
    }
    const x = hz * wn[iz]!;
    const f0 = fn[iz]!;
    if (f0 + source.uniform() * (fn[iz - 1]! - f0) < Math.exp(-0.5 * x * x)) return x;
    hz = source.nextUint32() | 0;
    iz = hz & (LAYERS - 1);
    if (Math.abs(hz) < kn[iz]!) return hz * wn[iz]!;
  }
}
