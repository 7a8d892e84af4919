import { selectBackend } from '@imecd/backend';

/** Tests run on the pure-JS cpu backend with the project's fast kernels registered. */
export async function useCpuBackend(): Promise<void> {
  await selectBackend({ backend: 'cpu', env: {} });
}

/**
 * A synthetic dataset with a learnable rule: user u walks the items u % 5 + 1, +5, +10, … (mod
 * numItems), so the next item follows from the last one. Named synthetic: it is not real data.
 */
export function syntheticWalks(numUsers: number, numItems: number, length: number): Int32Array[] {
  return Array.from({ length: numUsers }, (_, user) =>
    Int32Array.from({ length }, (_, step) => (((user % 5) + 5 * step + Math.floor(user / 5)) % numItems) + 1),
  );
}
