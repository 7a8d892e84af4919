import { DataFormatError } from '@imecd/core';
import type { RawInteraction } from '../types';
import { columnOf, readTsv } from './read-tsv';

/**
 * Reads a general RecBole atomic `<Name>.inter`: a header of `name:type` fields in any order with
 * `user_id` and `item_id` required and `timestamp` optional; other columns (rating, …) ignored.
 */
export async function readRecboleInter(file: string): Promise<RawInteraction[]> {
  const table = await readTsv(file);
  const userColumn = columnOf(table, 'user_id');
  const itemColumn = columnOf(table, 'item_id');
  const timeColumn = columnOf(table, 'timestamp', 'optional');
  return table.rows.map(({ line, fields }) => {
    const user = fields[userColumn]!.trim();
    const item = fields[itemColumn]!.trim();
    if (user === '' || item === '')
      throw new DataFormatError(file, line, `empty ${user === '' ? 'user_id' : 'item_id'}`);
    if (timeColumn === undefined) return { user, item, time: undefined };
    const timeText = fields[timeColumn]!.trim();
    const time = Number(timeText);
    if (timeText === '' || !Number.isFinite(time))
      throw new DataFormatError(file, line, `timestamp must be a number, got ${JSON.stringify(timeText)}`);
    return { user, item, time };
  });
}
