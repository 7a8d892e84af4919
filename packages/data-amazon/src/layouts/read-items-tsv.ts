import { DataFormatError } from '@imecd/core';
import type { RawItemMeta } from '../types';
import { parseIndex } from './parse-index';
import { columnOf, readTsv } from './read-tsv';

/** One row of an `items.tsv`. */
export interface ItemRow {
  asin: string;
  title: string | undefined;
  attributes: Int32Array | undefined;
  line: number;
}

/** The source's own item ids (1-based for sequential-txt, 0-based for LC-Rec) → row. */
export type ItemRows = Map<number, ItemRow>;

/**
 * Reads `items.tsv`: header, tab-separated, columns `item_id` and `asin` required, `title` and
 * `attribute_ids` (space-separated integers) optional; other columns are ignored. When the
 * folder also has an id → key mapping, `mappedKey(id)` returns it so that an unknown id or a
 * disagreeing ASIN is reported at its line (`mappingName` names the mapping in the message).
 */
export async function readItemsTsv(
  file: string,
  mapping?: { mappedKey: (id: number) => string | undefined; mappingName: string },
): Promise<ItemRows> {
  const table = await readTsv(file);
  const idColumn = columnOf(table, 'item_id');
  const asinColumn = columnOf(table, 'asin');
  const titleColumn = columnOf(table, 'title', 'optional');
  const attributesColumn = columnOf(table, 'attribute_ids', 'optional');
  const rows: ItemRows = new Map();
  for (const { line, fields } of table.rows) {
    const id = parseIndex(fields[idColumn]!.trim(), file, line, 'item_id');
    const asin = fields[asinColumn]!.trim();
    if (rows.has(id)) throw new DataFormatError(file, line, `item_id ${id} appears twice`);
    if (mapping !== undefined) {
      const mapped = mapping.mappedKey(id);
      if (mapped === undefined) throw new DataFormatError(file, line, `item_id ${id} is not in ${mapping.mappingName}`);
      if (mapped !== asin)
        throw new DataFormatError(
          file,
          line,
          `asin "${asin}" disagrees with ${mapping.mappingName}, which has "${mapped}" for item ${id}`,
        );
    }
    const title = titleColumn === undefined ? undefined : fields[titleColumn]!.trim() || undefined;
    const attributes =
      attributesColumn === undefined ? undefined : parseAttributes(fields[attributesColumn]!, file, line);
    rows.set(id, { asin, title, attributes, line });
  }
  return rows;
}

function parseAttributes(text: string, file: string, line: number): Int32Array {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((token) => token !== '');
  return Int32Array.from(tokens, (token) => parseIndex(token, file, line, 'attribute id'));
}

/** items.tsv titles as item metadata keyed by the sequence ids, or undefined when it has none. */
export function titlesAsMeta(itemRows: ItemRows | undefined): Map<string, RawItemMeta> | undefined {
  if (itemRows === undefined || ![...itemRows.values()].some((row) => row.title !== undefined)) return undefined;
  const meta = new Map<string, RawItemMeta>();
  for (const [id, row] of itemRows)
    if (row.title !== undefined) meta.set(String(id), { item: row.asin, title: row.title });
  return meta;
}
