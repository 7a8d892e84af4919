import { DataFormatError } from '@imecd/core';
import { parsePythonLiteral } from './parse-python-literal';

/** Where a record came from, for error messages. */
export interface RecordPlace {
  file: string;
  line: number;
}

/** A parsed line and the syntax it was written in (Python literals mark the 2014 release). */
export interface ParsedRecord {
  record: Record<string, unknown>;
  syntax: 'json' | 'python';
}

/**
 * Parses one line as a JSON object or, when `allowPython`, as a Python dict literal. JSON is tried
 * first unless the line opens with `{'`; the 2014 dumps are `repr()` output, which quotes a string
 * containing an apostrophe with `"`, so a line that opens with `{"` can still be Python.
 */
export function parseRecordLine(text: string, allowPython: boolean, place: RecordPlace): ParsedRecord {
  let value: unknown;
  let syntax: ParsedRecord['syntax'] = 'json';
  let jsonError: Error | undefined;
  if (!allowPython || !/^\s*\{\s*'/.test(text)) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      jsonError = error as Error;
      if (!allowPython)
        throw new DataFormatError(place.file, place.line, `malformed JSON: ${jsonError.message}`, { cause: error });
    }
  }
  if (value === undefined) {
    syntax = 'python';
    try {
      value = parsePythonLiteral(text);
    } catch (error) {
      const reason =
        jsonError === undefined
          ? `malformed Python literal: ${(error as Error).message}`
          : `malformed JSON: ${jsonError.message} (nor a Python literal: ${(error as Error).message})`;
      throw new DataFormatError(place.file, place.line, reason, { cause: error });
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DataFormatError(place.file, place.line, `expected one object per line, got ${describeValue(value)}`);
  }
  return { record: value as Record<string, unknown>, syntax };
}

/** A short description of a value's type and start, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
