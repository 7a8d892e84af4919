import { InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import type { Tensor2D } from '@tensorflow/tfjs-core';

/**
 * The checks both table softmax losses share: `hidden` [S, D] with S ≥ 1, `table` [R, D], one
 * target per row of `hidden`, every target in [first, R). Returns S, D and R.
 */
export function checkTableScoringInputs(
  hidden: Tensor2D,
  table: Tensor2D,
  targets: Int32Array,
  first: number,
): { positions: number; dim: number; rows: number } {
  if (hidden.rank !== 2) throw new ShapeMismatchError('hidden', '[S, D]', hidden.shape);
  const [positions, dim] = hidden.shape;
  if (table.rank !== 2 || table.shape[1] !== dim) throw new ShapeMismatchError('table', `[R, ${dim}]`, table.shape);
  const rows = table.shape[0];
  if (targets.length !== positions)
    throw new ShapeMismatchError('targets', `${positions} entries (one per row of hidden)`, [targets.length]);
  if (positions === 0) throw new InvalidArgumentError('hidden', 'needs at least one row to average over');
  checkRowIds('targets', targets, first, rows);
  return { positions, dim, rows };
}

/** Every id in `ids` (the argument `name`) must be a row in [first, rows) of the table. */
export function checkRowIds(name: string, ids: Int32Array, first: number, rows: number): void {
  for (const id of ids) {
    if (!(id >= first && id < rows)) throw new InvalidArgumentError(name, `${id} is outside ${first}..${rows - 1}`);
  }
}
