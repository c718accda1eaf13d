// Linear least squares for the kernel-table fits (scripts/derive-vidur-kernel-tables.ts): observations with a few
// non-zero features each, solved through the normal equations by Cholesky. Deterministic (fixed summation order);
// a ridge of 1e-10 × the mean diagonal keeps the system positive definite when a feature is barely observed.

/** One observation: `target` ≈ Σ weight_i · x[index_i]. */
export interface Observation {
  indices: readonly number[];
  weights: readonly number[];
  target: number;
}

/** The x minimising Σ (Σ_i weight_i·x[index_i] − target)² over `unknowns` unknowns. */
export function solveLeastSquares(observations: readonly Observation[], unknowns: number): Float64Array {
  const a = new Float64Array(unknowns * unknowns);
  const b = new Float64Array(unknowns);
  for (const o of observations) {
    for (let p = 0; p < o.indices.length; p++) {
      const i = o.indices[p]!;
      const wi = o.weights[p]!;
      b[i] = b[i]! + wi * o.target;
      for (let q = 0; q < o.indices.length; q++) {
        const j = o.indices[q]!;
        a[i * unknowns + j] = a[i * unknowns + j]! + wi * o.weights[q]!;
      }
    }
  }
  let trace = 0;
  for (let i = 0; i < unknowns; i++) trace += a[i * unknowns + i]!;
  const ridge = (1e-10 * trace) / unknowns;
  for (let i = 0; i < unknowns; i++) {
    if (a[i * unknowns + i]! === 0) throw new Error(`solveLeastSquares: unknown ${i} appears in no observation`);
    a[i * unknowns + i] = a[i * unknowns + i]! + ridge;
  }
  // Cholesky: a = L·Lᵀ, L stored in the lower triangle of a.
  for (let j = 0; j < unknowns; j++) {
    let d = a[j * unknowns + j]!;
    for (let p = 0; p < j; p++) d -= a[j * unknowns + p]! ** 2;
    if (!(d > 0)) throw new Error(`solveLeastSquares: the normal equations are singular at unknown ${j}`);
    const l = Math.sqrt(d);
    a[j * unknowns + j] = l;
    for (let i = j + 1; i < unknowns; i++) {
      let s = a[i * unknowns + j]!;
      for (let p = 0; p < j; p++) s -= a[i * unknowns + p]! * a[j * unknowns + p]!;
      a[i * unknowns + j] = s / l;
    }
  }
  const y = new Float64Array(unknowns);
  for (let i = 0; i < unknowns; i++) {
    let s = b[i]!;
    for (let p = 0; p < i; p++) s -= a[i * unknowns + p]! * y[p]!;
    y[i] = s / a[i * unknowns + i]!;
  }
  const x = new Float64Array(unknowns);
  for (let i = unknowns - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let p = i + 1; p < unknowns; p++) s -= a[p * unknowns + i]! * x[p]!;
    x[i] = s / a[i * unknowns + i]!;
  }
  return x;
}
