import { readFile } from 'node:fs/promises';
import { DataFormatError } from '@imecd/core';

/** JSON.parse with the error turned into a DataFormatError at the line, when V8 reports a position. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJsonText(await readFile(file, 'utf8'), file);
}

/** The same for text already read from `file` (for readers that also need the text, e.g. to find a key's line). */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    throw new DataFormatError(file, line, `not valid JSON: ${message}`, { cause: error });
  }
}
