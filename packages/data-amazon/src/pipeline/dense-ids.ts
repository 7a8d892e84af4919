import { DataFormatError } from '@imecd/core';
import type { IdOrder } from './build-sequence-dataset';

/** Dense id per interned key (−1 for keys with no surviving interaction), starting at `firstId`. */
export function assignIds(
  keys: string[],
  keyOfInteraction: Int32Array,
  order: Int32Array,
  keep: Uint8Array,
  idOrder: IdOrder,
  what: 'user' | 'item',
  source: string,
  firstId: number,
): Int32Array {
  const ids = new Int32Array(keys.length).fill(-1);
  let next = firstId;
  for (const j of order) {
    if (keep[j] === 0) continue;
    const key = keyOfInteraction[j]!;
    if (ids[key] === -1) ids[key] = next++;
  }
  if (idOrder === 'first-seen') return ids;

  const present: { position: number; value: number }[] = [];
  for (let position = 0; position < keys.length; position++) {
    if (ids[position] === -1) continue;
    const key = keys[position]!;
    if (!/^[+-]?\d+$/.test(key)) {
      throw new DataFormatError(
        source,
        undefined,
        `${what} ids in numeric-key order need integer ${what} keys, got "${key}"`,
      );
    }
    present.push({ position, value: Number(key) });
  }
  present.sort((a, b) => a.value - b.value);
  present.forEach(({ position, value }, rank) => {
    const previous = present[rank - 1];
    if (previous !== undefined && previous.value === value) {
      throw new DataFormatError(
        source,
        undefined,
        `${what} keys "${keys[previous.position]}" and "${keys[position]}" are the same number`,
      );
    }
    ids[position] = firstId + rank;
  });
  return ids;
}

export function countAssigned(ids: Int32Array): number {
  let count = 0;
  for (const id of ids) if (id !== -1) count++;
  return count;
}

export function keysById(keys: string[], ids: Int32Array, count: number, firstId: number): string[] {
  const byId = new Array<string>(count);
  ids.forEach((id, position) => {
    if (id !== -1) byId[id - firstId] = keys[position]!;
  });
  return byId;
}
