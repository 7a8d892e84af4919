import { DataFormatError } from '@imecd/core';
import { readLines } from '../readers/index';

/** A tab-separated table with a header line; `rows[k].line` is the row's line in the file. */
export interface TsvTable {
  file: string;
  /** Column names with any RecBole `:type` suffix removed ("item_id:token" → "item_id"). */
  columns: string[];
  rows: { line: number; fields: string[] }[];
}

/**
 * Reads a header + rows TSV. Every row must have as many fields as the header; blank lines are
 * skipped. Plain or gzip.
 */
export async function readTsv(file: string): Promise<TsvTable> {
  let columns: string[] | undefined;
  const rows: TsvTable['rows'] = [];
  for await (const { text, line } of readLines(file, { requireFinalNewline: true })) {
    if (text.trim() === '') continue;
    const fields = text.split('\t');
    if (columns === undefined) {
      columns = fields.map((field) => field.trim().replace(/:[a-z_]+$/, ''));
      continue;
    }
    if (fields.length !== columns.length) {
      throw new DataFormatError(
        file,
        line,
        `expected ${columns.length} tab-separated fields (${columns.join(', ')}), got ${fields.length}`,
      );
    }
    rows.push({ line, fields });
  }
  if (columns === undefined) throw new DataFormatError(file, undefined, 'empty file: no header line');
  return { file, columns, rows };
}

/** Position of `name` in the header; a missing required column is a DataFormatError on line 1. */
export function columnOf(table: TsvTable, name: string): number;
export function columnOf(table: TsvTable, name: string, optional: 'optional'): number | undefined;
export function columnOf(table: TsvTable, name: string, optional?: 'optional'): number | undefined {
  const column = table.columns.indexOf(name);
  if (column !== -1) return column;
  if (optional === 'optional') return undefined;
  throw new DataFormatError(table.file, 1, `missing column "${name}" (the header has ${table.columns.join(', ')})`);
}
