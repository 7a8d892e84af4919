import { DataFormatError } from '@imecd/core';

/** One `"<user>": [item, ...]` entry of an LC-Rec `.inter.json`, with the line it starts on. */
export interface InterJsonEntry {
  key: string;
  items: number[];
  line: number;
}

/**
 * Reads an LC-Rec `{"<user_idx>": [item_idx, ...], ...}` file. A dedicated scanner rather than
 * JSON.parse so that a bad id or a truncated file is reported with its line and column, which
 * matters for a one-line 3 MB file. Item indices must be non-negative integers.
 */
export function scanInterJson(text: string, file: string): InterJsonEntry[] {
  let position = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (expected: string): never => {
    const found = position < text.length ? JSON.stringify(text.slice(position, position + 12)) : 'the end of the file';
    throw new DataFormatError(file, line, `column ${position - lineStart + 1}: expected ${expected}, found ${found}`);
  };
  const skipWhitespace = (): void => {
    for (; position < text.length; position++) {
      const code = text.charCodeAt(position);
      if (code === 10) {
        line++;
        lineStart = position + 1;
      } else if (code !== 32 && code !== 9 && code !== 13) return;
    }
  };
  const expect = (character: string, expected: string): void => {
    skipWhitespace();
    if (text[position] !== character) fail(expected);
    position++;
  };
  const readKey = (): string => {
    const start = position;
    position++;
    while (position < text.length && text[position] !== '"') position += text[position] === '\\' ? 2 : 1;
    if (position >= text.length) fail('a closing quote');
    position++;
    return JSON.parse(text.slice(start, position)) as string;
  };
  const readIndex = (): number => {
    const start = position;
    while (position < text.length && text.charCodeAt(position) >= 48 && text.charCodeAt(position) <= 57) position++;
    const next = text[position];
    if (position === start || next === '.' || next === 'e' || next === 'E') {
      position = start;
      fail('a non-negative integer item index');
    }
    return Number(text.slice(start, position));
  };

  const entries: InterJsonEntry[] = [];
  expect('{', '"{"');
  skipWhitespace();
  if (text[position] === '}') position++;
  else {
    for (;;) {
      skipWhitespace();
      if (text[position] !== '"') fail('a quoted user key');
      const entryLine = line;
      const key = readKey();
      expect(':', '":"');
      expect('[', '"[" opening the item list');
      const items: number[] = [];
      skipWhitespace();
      if (text[position] === ']') position++;
      else {
        for (;;) {
          skipWhitespace();
          items.push(readIndex());
          skipWhitespace();
          if (text[position] === ']') {
            position++;
            break;
          }
          expect(',', '"," or "]" in the item list');
        }
      }
      entries.push({ key, items, line: entryLine });
      skipWhitespace();
      if (text[position] === '}') {
        position++;
        break;
      }
      expect(',', '"," or "}" after an item list');
    }
  }
  skipWhitespace();
  if (position < text.length) fail('nothing after the closing "}"');
  return entries;
}
