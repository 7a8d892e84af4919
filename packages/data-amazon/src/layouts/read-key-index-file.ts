import { DataFormatError } from '@imecd/core';
import { readLines } from '../readers/index';
import { parseIndexBelow } from './parse-index';

/**
 * Reads a `key<TAB>index` mapping (LC-Rec `.item2id`, UniSRec `.item2index`, …): 0-based,
 * no header. Returns keys[index]. The indices must be exactly 0..n-1, each once, and keys unique.
 */
export async function readKeyIndexFile(file: string): Promise<string[]> {
  const entries: { line: number; key: string; index: string | undefined }[] = [];
  for await (const { text, line } of readLines(file, { requireFinalNewline: true })) {
    if (text.trim() === '') continue;
    const fields = text.split('\t');
    if (fields.length !== 2)
      throw new DataFormatError(file, line, `expected "key<TAB>index", got ${fields.length} tab-separated fields`);
    entries.push({ line, key: fields[0]!, index: fields[1] });
  }
  const keys = new Array<string>(entries.length);
  const seenKeys = new Set<string>();
  for (const { line, key, index } of entries) {
    const position = parseIndexBelow(
      index?.trim(),
      entries.length,
      file,
      line,
      'index',
      `the file has ${entries.length} entries`,
    );
    if (keys[position] !== undefined) throw new DataFormatError(file, line, `index ${position} appears twice`);
    if (seenKeys.has(key)) throw new DataFormatError(file, line, `key "${key}" appears twice`);
    seenKeys.add(key);
    keys[position] = key;
  }
  return keys;
}
