import type { RawItemMeta } from '../types';
import { type AmazonFormat, type AmazonReaderOptions, resolveFormatOption } from './amazon-format';
import { type AmazonRecordKind, readAmazonRecords } from './read-amazon-records';
import type { RecordFields } from './record-fields';
import { repairUtf8Bytes } from './repair-utf8-bytes';

const META: AmazonRecordKind<RawItemMeta> = {
  name: 'meta',
  expected: 'asin (2014, 2018) or parent_asin (2023)',
  detect({ record, syntax }) {
    if ('parent_asin' in record) return '2023';
    if (!('asin' in record)) return undefined;
    return syntax === 'python' || 'imUrl' in record || 'categories' in record ? '2014' : '2018';
  },
  toRecord(fields, format) {
    const meta = READERS[format](fields);
    return format === '2014' ? repairStrings(meta) : meta;
  },
};

const READERS: Record<AmazonFormat, (fields: RecordFields) => RawItemMeta> = {
  '2014': (fields) =>
    withoutUndefined({
      item: fields.requiredString('asin'),
      title: fields.optionalString('title'),
      brand: fields.optionalString('brand'),
      categories: unique(fields.optionalStringPaths('categories')),
      description: fields.optionalString('description'),
      imageUrl: fields.optionalString('imUrl'),
    }),
  '2018': (fields) =>
    readJsonMeta(fields, { item: 'asin', brand: 'brand', categories: 'category', imageUrl: firstImage2018 }),
  '2023': (fields) =>
    readJsonMeta(fields, { item: 'parent_asin', brand: 'store', categories: 'categories', imageUrl: firstImage2023 }),
};

/** Where a JSON dump (2018, 2023) keeps the fields that moved between releases. */
interface JsonMetaKeys {
  item: string;
  brand: string;
  categories: string;
  imageUrl: (fields: RecordFields) => string | undefined;
}

/** A 2018 or 2023 record; only the keys in `keys` differ between the two releases. */
function readJsonMeta(fields: RecordFields, keys: JsonMetaKeys): RawItemMeta {
  return withoutUndefined({
    item: fields.requiredString(keys.item),
    title: fields.optionalString('title'),
    brand: fields.optionalString(keys.brand),
    categories: unique(fields.optionalStrings(keys.categories)),
    description: fields.optionalStrings('description')?.join(' '),
    imageUrl: keys.imageUrl(fields),
  });
}

/**
 * Streams the item metadata of an Amazon meta file (plain or gzip), one record per non-blank line.
 * Only the item key is required; every other field may be missing, null or ''.
 *
 * | field       | 2014 (Python dicts)    | 2018 (JSON)                       | 2023 (JSON)              |
 * |-------------|------------------------|-----------------------------------|--------------------------|
 * | item        | asin                   | asin                              | parent_asin              |
 * | title       | title                  | title                             | title                    |
 * | brand       | brand                  | brand                             | store                    |
 * | categories  | categories, flattened  | category                          | categories               |
 * | description | description            | description, joined by spaces     | description, joined      |
 * | imageUrl    | imUrl                  | imageURLHighRes[0] or imageURL[0] | images[].large, hi_res   |
 *
 * For 2023 the image is the first one that has a URL, its `large` before its `hi_res`.
 * Categories keep their first occurrence only. Strings are passed on raw (HTML entities and all;
 * see `cleanItemText`), except that 2014 strings holding UTF-8 bytes are decoded
 * (`repairUtf8Bytes`). The same item may appear twice in a file; both records are yielded.
 */
export function readAmazonMeta(file: string, options?: AmazonReaderOptions): AsyncIterable<RawItemMeta> {
  return readAmazonRecords(file, resolveFormatOption(options), META);
}

function firstImage2018(fields: RecordFields): string | undefined {
  return (fields.optionalStrings('imageURLHighRes') ?? fields.optionalStrings('imageURL'))?.[0];
}

function firstImage2023(fields: RecordFields): string | undefined {
  for (const [index, image] of (fields.optionalObjects('images') ?? []).entries()) {
    const imageFields = fields.nested(image, `images[${index}].`);
    const url = imageFields.optionalString('large') ?? imageFields.optionalString('hi_res');
    if (url !== undefined) return url;
  }
  return undefined;
}

function unique(values: string[] | undefined): string[] | undefined {
  return values === undefined ? undefined : [...new Set(values)];
}

function repairStrings(meta: RawItemMeta): RawItemMeta {
  return withoutUndefined({
    item: meta.item,
    title: meta.title === undefined ? undefined : repairUtf8Bytes(meta.title),
    brand: meta.brand === undefined ? undefined : repairUtf8Bytes(meta.brand),
    categories: meta.categories === undefined ? undefined : unique(meta.categories.map(repairUtf8Bytes)),
    description: meta.description === undefined ? undefined : repairUtf8Bytes(meta.description),
    imageUrl: meta.imageUrl,
  });
}

/** Drops keys whose value is undefined, so records compare and serialise cleanly. */
function withoutUndefined(meta: RawItemMeta): RawItemMeta {
  const result: RawItemMeta = { item: meta.item };
  if (meta.title !== undefined) result.title = meta.title;
  if (meta.brand !== undefined) result.brand = meta.brand;
  if (meta.categories !== undefined) result.categories = meta.categories;
  if (meta.description !== undefined) result.description = meta.description;
  if (meta.imageUrl !== undefined) result.imageUrl = meta.imageUrl;
  return result;
}
