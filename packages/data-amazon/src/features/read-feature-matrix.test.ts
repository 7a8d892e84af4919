import { join } from 'node:path';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { afterAll, describe, expect, it } from 'vitest';
import { float32Bytes, rejectionOf, removeFixtureCopies, temporaryFolder } from '../../test/fixtures/copy-fixture';
import { readFeatureMatrix } from './read-feature-matrix';

afterAll(removeFixtureCopies);

/** A synthetic 3 × 2 matrix file: row r = [r + 0.5, -(r + 1)]. */
async function threeRows(values = [0.5, -1, 1.5, -2, 2.5, -3]): Promise<string> {
  const folder = await temporaryFolder({ 'x.f32': float32Bytes(values) });
  return join(folder, 'x.f32');
}

describe('readFeatureMatrix', () => {
  it('infers D and puts row r at item r + 1 by default, with padding row 0 empty', async () => {
    const matrix = await readFeatureMatrix(await threeRows(), { numItems: 3, modality: 'text' });
    expect(matrix.dim).toBe(2);
    expect(matrix.modality).toBe('text');
    expect(Array.from(matrix.values)).toEqual([0, 0, 0.5, -1, 1.5, -2, 2.5, -3]);
    expect(Array.from(matrix.mask)).toEqual([0, 1, 1, 1]);
  });

  it('aligns rows through rowToItem and leaves undescribed items at mask 0', async () => {
    // Row 0 → item 2, row 1 → not in the dataset, row 2 → item 4; items 1 and 3 have no row.
    const matrix = await readFeatureMatrix(await threeRows(), {
      numItems: 4,
      modality: 'image',
      rowToItem: Int32Array.from([2, 0, 4]),
    });
    expect(Array.from(matrix.values)).toEqual([0, 0, 0, 0, 0.5, -1, 0, 0, 2.5, -3]);
    expect(Array.from(matrix.mask)).toEqual([0, 0, 1, 0, 1]);
  });

  it('states file, byte length, N and D when the size does not fit', async () => {
    const file = await threeRows();
    const stated = await rejectionOf(readFeatureMatrix(file, { numItems: 3, modality: 'text', dim: 3 }));
    expect(stated).toBeInstanceOf(DataFormatError);
    expect(stated).toMatchObject({ file, line: undefined });
    expect((stated as DataFormatError).reason).toBe('byte length 24 ≠ 4 · N · D = 4 · 3 · 3 = 36 (N = 3 rows, D = 3)');

    const inferred = await rejectionOf(readFeatureMatrix(file, { numItems: 4, modality: 'text' }));
    expect(inferred).toMatchObject({ file, line: undefined });
    expect((inferred as DataFormatError).reason).toBe(
      'byte length 24 is not a positive multiple of 4 · N = 16 (N = 4 rows), so D = 24 / 16 = 1.5 is not a whole number',
    );
  });

  it('reports a NaN or infinite value by row (as the line) and column', async () => {
    const file = await threeRows([0.5, -1, 1.5, Number.NaN, 2.5, -3]);
    const error = await rejectionOf(readFeatureMatrix(file, { numItems: 3, modality: 'text' }));
    expect(error).toMatchObject({ file, line: 2, reason: 'row 2, column 2 (both 1-based) holds NaN' });
    const infinite = await threeRows([0.5, -1, 1.5, -2, Number.POSITIVE_INFINITY, -3]);
    await expect(readFeatureMatrix(infinite, { numItems: 3, modality: 'text' })).rejects.toMatchObject({ line: 3 });
  });

  it('rejects bad options before reading', async () => {
    const file = await threeRows();
    await expect(readFeatureMatrix(file, { numItems: 0, modality: 'text' })).rejects.toThrow(InvalidArgumentError);
    await expect(readFeatureMatrix(file, { numItems: 3, modality: 'text', dim: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(
      readFeatureMatrix(file, { numItems: 3, modality: 'text', rowToItem: Int32Array.from([1, 1, 2]) }),
    ).rejects.toThrow(/two rows/);
    await expect(
      readFeatureMatrix(file, { numItems: 3, modality: 'text', rowToItem: Int32Array.from([1, 2, 4]) }),
    ).rejects.toThrow(/outside 0..3/);
  });
});
