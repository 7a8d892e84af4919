import { DataFormatError } from '@imecd/core';

/** A non-negative integer written in decimal, or a DataFormatError at file:line naming `what`. */
export function parseIndex(text: string | undefined, file: string, line: number, what: string): number {
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new DataFormatError(
      file,
      line,
      `${what} must be a non-negative integer, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

/** Like parseIndex, and also inside [0, count). `range` says where the bound comes from. */
export function parseIndexBelow(
  text: string | undefined,
  count: number,
  file: string,
  line: number,
  what: string,
  range: string,
): number {
  const index = parseIndex(text, file, line, what);
  if (index >= count) throw new DataFormatError(file, line, `${what} ${index} is outside 0..${count - 1} (${range})`);
  return index;
}

/**
 * index → its decimal string, each string made once: layouts turn hundreds of thousands of
 * integer ids into RawInteraction keys, and reusing the strings spares the garbage collector.
 */
export function createIndexKeys(): (index: number) => string {
  const keys: string[] = [];
  return (index) => (keys[index] ??= String(index));
}
