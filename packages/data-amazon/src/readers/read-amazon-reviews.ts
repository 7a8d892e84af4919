import type { RawInteraction } from '../types';
import { type AmazonReaderOptions, resolveFormatOption } from './amazon-format';
import { type AmazonRecordKind, readAmazonRecords } from './read-amazon-records';

const REVIEWS: AmazonRecordKind<RawInteraction> = {
  name: 'review',
  expected: 'reviewerID/asin (2014, 2018) or user_id/parent_asin (2023)',
  detect({ record, syntax }) {
    if ('user_id' in record || 'parent_asin' in record) return '2023';
    if ('reviewerID' in record || 'asin' in record) return syntax === 'python' ? '2014' : '2018';
    return undefined;
  },
  toRecord(fields, format) {
    if (format === '2023') {
      const user = fields.requiredString('user_id');
      const item = fields.requiredString('parent_asin');
      return { user, item, time: fields.requiredNumber('timestamp') / 1000 };
    }
    const user = fields.requiredString('reviewerID');
    const item = fields.requiredString('asin');
    return { user, item, time: fields.requiredNumber('unixReviewTime') };
  },
};

/**
 * Streams the interactions of an Amazon review file (plain or gzip), one per non-blank line:
 * - 2014: Python dict literals (JSON lines are accepted too) — `reviewerID`, `asin`,
 *   `unixReviewTime` (seconds);
 * - 2018: JSON lines with the same three fields;
 * - 2023: JSON lines — `user_id`, `parent_asin` (the item key, so colour/size variants are one
 *   item), `timestamp` in milliseconds, divided by 1000 (a fraction is kept, so the order of
 *   reviews within one second survives).
 *
 * Every field above is required. Repeated user–item pairs are all yielded; deduplication is the
 * pipeline's choice. Malformed lines, missing or mistyped fields, truncated/corrupt gzip and
 * empty files throw `DataFormatError` with the file and 1-based line.
 */
export function readAmazonReviews(file: string, options?: AmazonReaderOptions): AsyncIterable<RawInteraction> {
  return readAmazonRecords(file, resolveFormatOption(options), REVIEWS);
}
