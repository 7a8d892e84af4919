import { readFile } from 'node:fs/promises';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import type { ItemCodes } from '../types';
import { type ItemRowOptions, resolveItemRows } from './item-rows';
import { parseJsonText } from './read-json-file';

/** `rowToItem[k]` maps the file's key k; its length bounds the keys. */
export interface ReadItemCodeIndexOptions extends ItemRowOptions {
  /** Codes per level: level l's tokens are `<L_0>` … `<L_{codesPerLevel − 1}>`. Default 256 (MQL4GRec, LC-Rec). */
  codesPerLevel?: number;
}

/**
 * Reads a semantic-code index, the format of LC-Rec, MQL4GRec and TIGER-style repositories:
 * `{"<key>": ["<A_154>", "<B_106>", "<C_221>", "<D_144>"], …}` — one code per level, level l written
 * with the l-th letter (either case: MQL4GRec writes its text codes `<a_170>`). Every entry must have the same number of levels, each token its own
 * level's letter in order and a code below `codesPerLevel`; keys are 0-based integers mapped through
 * `rowToItem`. Items no key describes keep mask 0 (missing, never invented). Errors name the file,
 * the line of the key and what is wrong.
 */
export async function readItemCodeIndex(file: string, options: ReadItemCodeIndexOptions): Promise<ItemCodes> {
  const { numItems, modality } = options;
  const rowToItem = resolveItemRows(options);
  const codesPerLevel = options.codesPerLevel ?? 256;
  if (!Number.isInteger(codesPerLevel) || codesPerLevel < 1)
    throw new InvalidArgumentError('codesPerLevel', `expected a positive integer, got ${codesPerLevel}`);

  const text = await readFile(file, 'utf8');
  const lineOfKey = (key: string): number | undefined => {
    const at = text.indexOf(`"${key}"`);
    return at < 0 ? undefined : text.slice(0, at).split('\n').length;
  };
  const parsed = parseJsonText(text, file);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new DataFormatError(file, 1, 'expected an object {"<key>": ["<A_1>", …], …}');

  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length === 0) throw new DataFormatError(file, 1, 'has no entries');
  const first = entries[0]![1];
  const levels = Array.isArray(first) ? first.length : 0;
  if (levels < 1 || levels > 26)
    throw new DataFormatError(
      file,
      lineOfKey(entries[0]![0]),
      `key "${entries[0]![0]}": expected 1–26 code tokens, got ${Array.isArray(first) ? levels : typeof first}`,
    );

  const codes = new Int32Array((numItems + 1) * levels); // [numItems + 1, levels]
  const mask = new Uint8Array(numItems + 1);
  for (const [key, tokens] of entries) {
    const fail = (message: string): never => {
      throw new DataFormatError(file, lineOfKey(key), `key "${key}": ${message}`);
    };
    if (!/^(0|[1-9]\d*)$/.test(key)) fail('is not a 0-based integer key');
    const row = Number(key);
    if (row >= rowToItem.length)
      fail(`is outside 0..${rowToItem.length - 1} (the item map has ${rowToItem.length} entries)`);
    if (!Array.isArray(tokens)) fail(`expected a list of ${levels} code tokens, got ${typeof tokens}`);
    const list = tokens as unknown[];
    if (list.length !== levels) fail(`has ${list.length} code tokens, expected ${levels} like the first entry`);
    const item = rowToItem[row]!;
    list.forEach((token, level) => {
      const letter = String.fromCharCode(65 + level);
      const match = typeof token === 'string' ? /^<([A-Za-z])_(0|[1-9]\d*)>$/.exec(token) : null;
      if (match === null) fail(`token ${level + 1} ${JSON.stringify(token)} is not a code token like "<${letter}_12>"`);
      if (match![1]!.toUpperCase() !== letter)
        fail(`token ${level + 1} "${String(token)}" belongs to level ${match![1]}, expected level ${letter}`);
      const code = Number(match![2]);
      if (code >= codesPerLevel)
        fail(`token ${level + 1} "${String(token)}": code ${code} is not below codesPerLevel ${codesPerLevel}`);
      if (item !== 0) codes[item * levels + level] = code;
    });
    if (item !== 0) mask[item] = 1;
  }
  return { modality, levels, codesPerLevel, codes, mask, source: file };
}
