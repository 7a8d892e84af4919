import { DataFormatError } from '@imecd/core';
import type { AmazonFormat } from './amazon-format';
import { type ParsedRecord, parseRecordLine } from './parse-record-line';
import { readLines } from './read-lines';
import { createRecordFields, type RecordFields } from './record-fields';

/** How one kind of Amazon file (reviews or meta) is recognised and turned into records. */
export interface AmazonRecordKind<T> {
  /** "review" or "meta", for messages. */
  name: string;
  /** The release a first record belongs to, or undefined when it fits none. */
  detect(parsed: ParsedRecord): AmazonFormat | undefined;
  /** What `detect` looks for, for the message when it finds nothing. */
  expected: string;
  toRecord(fields: RecordFields, format: AmazonFormat): T;
}

/**
 * The loop both readers share: lines → records in `format` (detected from the first record when
 * 'auto'). Blank lines are skipped; a file without a single record is an error, not an empty
 * dataset, because that is what a failed download or a wrong path looks like.
 */
export async function* readAmazonRecords<T>(
  file: string,
  requested: AmazonFormat | 'auto',
  kind: AmazonRecordKind<T>,
): AsyncIterable<T> {
  let format = requested === 'auto' ? undefined : requested;
  let records = 0;
  for await (const { text, line } of readLines(file)) {
    if (isBlank(text)) continue;
    const place = { file, line };
    const parsed = parseRecordLine(text, format === undefined || format === '2014', place);
    if (format === undefined) {
      format = kind.detect(parsed);
      if (format === undefined)
        throw new DataFormatError(file, line, `not an Amazon ${kind.name} record: expected ${kind.expected}`);
    }
    records++;
    yield kind.toRecord(createRecordFields(parsed.record, place), format);
  }
  if (records === 0) throw new DataFormatError(file, 1, `empty file: no ${kind.name} records`);
}

function isBlank(text: string): boolean {
  return text.length === 0 || /^\s*$/.test(text);
}
