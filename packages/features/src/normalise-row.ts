/**
 * Scales `values[offset, offset + dim)` in place to unit L2 norm, so that every encoder's vectors
 * live on the unit sphere. A zero row stays zero (the writer records it as missing).
 */
export function normaliseRow(values: Float32Array, offset: number, dim: number): void {
  let norm = 0;
  for (let column = 0; column < dim; column++) norm += values[offset + column]! ** 2;
  if (norm === 0) return;
  const inverse = 1 / Math.sqrt(norm);
  for (let column = 0; column < dim; column++) values[offset + column]! *= inverse;
}
