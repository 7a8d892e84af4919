/**
 * Downloads of the raw Amazon files: a resumable, verified `downloadFile` and the four Amazon
 * 2018 categories of the paper, with a checksums.json manifest for offline re-runs.
 */
export { downloadFile } from './download-file';
export type { DownloadEvent, DownloadOptions, DownloadResult } from './download-file';
export { AMAZON_2018_DOWNLOADS, downloadAmazon2018 } from './amazon-2018';
export type { Amazon2018Download, DownloadAmazon2018Options } from './amazon-2018';
export { readChecksums, verifyChecksums, writeChecksums, CHECKSUMS_FILE } from './checksums';
export type { ChecksumEntry } from './checksums';
export { verifyGzip } from './verify-gzip';
export { OfflineError } from './offline-error';
export type { OfflineDetails } from './offline-error';
export { DownloadError } from './download-error';
