import { InvalidArgumentError } from '@imecd/core';

/** The three public Amazon review releases (McAuley lab: 2014, 2018; Hou et al.: 2023). */
export type AmazonFormat = '2014' | '2018' | '2023';

/** Options shared by `readAmazonReviews` and `readAmazonMeta`. */
export interface AmazonReaderOptions {
  /**
   * Which release the file comes from. 'auto' decides per file from its first record: 2023 by
   * its `user_id`/`parent_asin` fields, 2014 by Python-literal syntax (or, for meta, the 2014
   * field names `categories`/`imUrl`), 2018 otherwise. Default 'auto'.
   */
  format?: AmazonFormat | 'auto';
}

const FORMATS = ['auto', '2014', '2018', '2023'] as const;

export function resolveFormatOption(options: AmazonReaderOptions | undefined): AmazonFormat | 'auto' {
  const format = options?.format ?? 'auto';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new InvalidArgumentError('format', `expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  return format;
}
