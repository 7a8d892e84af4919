/**
 * Readers of the raw Amazon review releases (2014, 2018, 2023): streaming line reader for plain
 * and gzip files, review and meta readers, a safe Python-literal parser for the 2014 dumps,
 * UniSRec-style item text, and discovery of the official file names in a folder.
 */

export type { AmazonFormat, AmazonReaderOptions } from './amazon-format';
export { cleanItemText } from './clean-item-text';
export { decodeHtmlEntities } from './decode-html-entities';
export { type AmazonFiles, findAmazonFiles } from './find-amazon-files';
export { parsePythonLiteral } from './parse-python-literal';
export { readAmazonMeta } from './read-amazon-meta';
export { readAmazonReviews } from './read-amazon-reviews';
export { type ReadLinesOptions, readLines, type TextLine } from './read-lines';
