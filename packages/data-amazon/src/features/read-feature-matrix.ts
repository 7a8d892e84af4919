import { readFile } from 'node:fs/promises';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import type { FeatureMatrix } from '../types';
import { type ItemRowOptions, resolveItemRows } from './item-rows';

export interface ReadFeatureMatrixOptions extends ItemRowOptions {
  /** Floats per row. Default: inferred as byteLength / (4 · rows in the file). */
  dim?: number;
}

/**
 * Reads a raw little-endian float32 matrix (no header, N rows × D) and lays it out by item id.
 * Items that no row describes keep a zero row and mask 0: missing features are never invented.
 */
export async function readFeatureMatrix(file: string, options: ReadFeatureMatrixOptions): Promise<FeatureMatrix> {
  const { numItems, modality } = options;
  const rowToItem = resolveItemRows(options);
  if (options.dim !== undefined && (!Number.isInteger(options.dim) || options.dim < 1)) {
    throw new InvalidArgumentError('dim', `expected a positive integer, got ${options.dim}`);
  }

  const bytes = await readFile(file);
  const rows = rowToItem.length;
  const dim = options.dim ?? inferDim(file, bytes.byteLength, rows);
  if (bytes.byteLength !== 4 * rows * dim) {
    throw new DataFormatError(
      file,
      undefined,
      `byte length ${bytes.byteLength} ≠ 4 · N · D = 4 · ${rows} · ${dim} = ${4 * rows * dim} (N = ${rows} rows, D = ${dim})`,
    );
  }

  const values = new Float32Array((numItems + 1) * dim); // [numItems + 1, D]
  const mask = new Uint8Array(numItems + 1);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let row = 0; row < rows; row++) {
    const item = rowToItem[row]!;
    for (let column = 0; column < dim; column++) {
      const value = view.getFloat32(4 * (row * dim + column), true);
      if (!Number.isFinite(value)) {
        throw new DataFormatError(file, row + 1, `row ${row + 1}, column ${column + 1} (both 1-based) holds ${value}`);
      }
      if (item !== 0) values[item * dim + column] = value;
    }
    if (item !== 0) mask[item] = 1;
  }
  return { modality, dim, values, mask, source: file };
}

function inferDim(file: string, byteLength: number, rows: number): number {
  const dim = byteLength / (4 * rows);
  if (!Number.isInteger(dim) || dim < 1) {
    throw new DataFormatError(
      file,
      undefined,
      `byte length ${byteLength} is not a positive multiple of 4 · N = ${4 * rows} (N = ${rows} rows), so D = ${byteLength} / ${4 * rows} = ${dim} is not a whole number`,
    );
  }
  return dim;
}
