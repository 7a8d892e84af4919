import type { WeightSpec } from './model-file-format';

/** Shards are filled to this size but the last, as tfjs writes them. */
export const SHARD_BYTES = 4 * 1024 * 1024;

/** Bytes one weight takes in the shards. */
export function weightBytes(spec: WeightSpec): number {
  const size = spec.shape.reduce((product, dimension) => product * dimension, 1);
  return spec.dtype === 'bool' ? size : size * 4;
}

/** The shard file names of `count` shards, after tfjs's `group1-shard1of2.bin`. */
export function shardNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `group1-shard${index + 1}of${count}.bin`);
}
