/**
 * Downloads of the raw Amazon files: a resumable, verified `downloadFile` and the four Amazon
 * 2018 categories of the paper, with a checksums.json manifest for offline re-runs.
 */

export type { Amazon2018Download, DownloadAmazon2018Options } from './amazon-2018';
export { AMAZON_2018_DOWNLOADS, downloadAmazon2018 } from './amazon-2018';
export type { ChecksumEntry } from './checksums';
export { CHECKSUMS_FILE, readChecksums, verifyChecksums, writeChecksums } from './checksums';
export { DownloadError } from './download-error';
export type { DownloadEvent, DownloadOptions, DownloadResult } from './download-file';
export { downloadFile } from './download-file';
export type { OfflineDetails } from './offline-error';
export { OfflineError } from './offline-error';
export { verifyGzip } from './verify-gzip';
