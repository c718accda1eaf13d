// Growing the typed arrays the flow model keeps its state in: a copy into a new, larger array.

/** A new Int32Array of `size` elements starting with `array`'s (size ≥ array.length). */
export function grownInt32(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(size);
  grown.set(array);
  return grown;
}

/** A new Float64Array of `size` elements starting with `array`'s (size ≥ array.length). */
export function grownFloat64(array: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(size);
  grown.set(array);
  return grown;
}
