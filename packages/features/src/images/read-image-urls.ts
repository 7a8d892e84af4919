import { type AmazonReaderOptions, readAmazonMeta } from '@imecd/data-amazon';

/**
 * The main image URL of each item (index = item id, 0 = padding) from an Amazon meta file
 * (2014 `imUrl`, 2018 first of `imageURLHighRes`/`imageURL`, 2023 first large image; see
 * `readAmazonMeta`). Items the meta file lacks, or lists without an image, stay undefined.
 */
export async function readImageUrls(
  metaFile: string,
  itemKeys: readonly string[],
  options?: AmazonReaderOptions,
): Promise<(string | undefined)[]> {
  const idOfKey = new Map<string, number>();
  itemKeys.forEach((key, id) => {
    if (id > 0) idOfKey.set(key, id);
  });
  const urls = new Array<string | undefined>(itemKeys.length).fill(undefined);
  for await (const meta of readAmazonMeta(metaFile, options)) {
    const id = idOfKey.get(meta.item);
    // The first record with an image wins when an item appears twice.
    if (id !== undefined && urls[id] === undefined && meta.imageUrl !== undefined && meta.imageUrl !== '')
      urls[id] = meta.imageUrl;
  }
  return urls;
}
