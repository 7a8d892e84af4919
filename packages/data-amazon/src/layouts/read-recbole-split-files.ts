import { existsSync } from 'node:fs';
import { DataFormatError } from '@imecd/core';
import { parseIndex, parseIndexBelow } from './parse-index';
import { columnOf, readTsv, type TsvTable } from './read-tsv';

/** Index ranges from the mapping files, when the folder has them. */
export interface IndexRanges {
  numItems: number | undefined;
  numUsers: number | undefined;
  /** How to name the mappings in messages, e.g. "Scientific.item2index". */
  itemMapping: string;
  userMapping: string;
}

/** A user's full sequence of source item indices, rebuilt from test.inter. */
export interface RebuiltSequence {
  user: number;
  items: number[];
  /** Line of the user's test.inter row. */
  line: number;
}

/**
 * Rebuilds every user's sequence from the UniSRec downstream files `<base>.test.inter`
 * (history + target) and checks it against `<base>.valid.inter` (history + target = all but the
 * last item) and `<base>.train.inter` (one row per earlier prefix → next item) when those exist.
 * A disagreement is a DataFormatError at the disagreeing row. Histories must be untruncated;
 * files written with a history cap fail the check at the first capped user.
 */
export async function readRecboleSplitFiles(base: string, ranges: IndexRanges): Promise<RebuiltSequence[]> {
  const testFile = `${base}.test.inter`;
  const sequences = new Map<number, RebuiltSequence>();
  for (const row of parseRows(await readTsv(testFile), ranges)) {
    if (sequences.has(row.user)) throw new DataFormatError(testFile, row.line, `user ${row.user} has a second row`);
    sequences.set(row.user, { user: row.user, items: [...row.history, row.target], line: row.line });
  }
  const validFile = `${base}.valid.inter`;
  if (existsSync(validFile)) checkValid(validFile, parseRows(await readTsv(validFile), ranges), sequences);
  const trainFile = `${base}.train.inter`;
  if (existsSync(trainFile)) checkTrain(trainFile, parseRows(await readTsv(trainFile), ranges), sequences);
  return [...sequences.values()];
}

interface SplitRow {
  line: number;
  user: number;
  history: number[];
  target: number;
}

function parseRows(table: TsvTable, ranges: IndexRanges): SplitRow[] {
  const userColumn = columnOf(table, 'user_id');
  const historyColumn = columnOf(table, 'item_id_list');
  const targetColumn = columnOf(table, 'item_id');
  const { file } = table;
  const item = (text: string | undefined, line: number): number =>
    ranges.numItems === undefined
      ? parseIndex(text, file, line, 'item index')
      : parseIndexBelow(
          text,
          ranges.numItems,
          file,
          line,
          'item index',
          `${ranges.itemMapping} has ${ranges.numItems} entries`,
        );
  return table.rows.map(({ line, fields }) => {
    const userText = fields[userColumn]!.trim();
    const user =
      ranges.numUsers === undefined
        ? parseIndex(userText, file, line, 'user index')
        : parseIndexBelow(
            userText,
            ranges.numUsers,
            file,
            line,
            'user index',
            `${ranges.userMapping} has ${ranges.numUsers} entries`,
          );
    const historyTokens = fields[historyColumn]!.trim()
      .split(' ')
      .filter((token) => token !== '');
    if (historyTokens.length === 0) throw new DataFormatError(file, line, `user ${user}: empty item_id_list`);
    return {
      line,
      user,
      history: historyTokens.map((token) => item(token, line)),
      target: item(fields[targetColumn]!.trim(), line),
    };
  });
}

function checkValid(file: string, rows: SplitRow[], sequences: Map<number, RebuiltSequence>): void {
  const seen = new Set<number>();
  for (const row of rows) {
    const sequence = lookUp(file, row, sequences);
    if (seen.has(row.user)) throw new DataFormatError(file, row.line, `user ${row.user} has a second row`);
    seen.add(row.user);
    checkPrefix(file, row, sequence, sequence.items.length - 2);
  }
  for (const sequence of sequences.values()) {
    if (sequence.items.length >= 3 && !seen.has(sequence.user)) {
      throw new DataFormatError(file, undefined, `user ${sequence.user} (test.inter line ${sequence.line}) has no row`);
    }
  }
}

function checkTrain(file: string, rows: SplitRow[], sequences: Map<number, RebuiltSequence>): void {
  const covered = new Map<number, Set<number>>();
  for (const row of rows) {
    const sequence = lookUp(file, row, sequences);
    const position = row.history.length;
    if (position > sequence.items.length - 3) {
      throw new DataFormatError(
        file,
        row.line,
        `user ${row.user}: a training prefix of ${position} items reaches the valid/test targets (sequence of ${sequence.items.length})`,
      );
    }
    checkPrefix(file, row, sequence, position);
    const positions = covered.get(row.user) ?? new Set<number>();
    if (positions.has(position))
      throw new DataFormatError(file, row.line, `user ${row.user}: a second row for the prefix of ${position} items`);
    positions.add(position);
    covered.set(row.user, positions);
  }
  for (const sequence of sequences.values()) {
    for (let position = 1; position <= sequence.items.length - 3; position++) {
      if (covered.get(sequence.user)?.has(position) !== true) {
        throw new DataFormatError(
          file,
          undefined,
          `user ${sequence.user} (test.inter line ${sequence.line}) has no row for the prefix of ${position} items`,
        );
      }
    }
  }
}

function lookUp(file: string, row: SplitRow, sequences: Map<number, RebuiltSequence>): RebuiltSequence {
  const sequence = sequences.get(row.user);
  if (sequence === undefined) throw new DataFormatError(file, row.line, `user ${row.user} has no row in test.inter`);
  return sequence;
}

/** Throws unless history + target equals the first `position` + 1 items of the rebuilt sequence. */
function checkPrefix(file: string, row: SplitRow, sequence: RebuiltSequence, position: number): void {
  const expected = sequence.items.slice(0, position + 1);
  const actual = [...row.history, row.target];
  const differsAt = actual.findIndex((item, index) => item !== expected[index]);
  if (actual.length === expected.length && differsAt === -1) return;
  const detail =
    actual.length !== expected.length
      ? `${actual.length} items where test.inter implies ${expected.length}`
      : `item ${differsAt + 1} is ${actual[differsAt]} where test.inter has ${expected[differsAt]}`;
  throw new DataFormatError(
    file,
    row.line,
    `user ${row.user}: history + target disagree with test.inter line ${sequence.line}: ${detail}`,
  );
}
