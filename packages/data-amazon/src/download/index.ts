/**
 * Downloads of the raw Amazon files: a resumable, verified `downloadFile` and the four Amazon
 * 2018 categories of the paper, with a checksums.json manifest for offline re-runs.
 */

export {
  AMAZON_2018_DOWNLOADS,
  type Amazon2018Download,
  type DownloadAmazon2018Options,
  downloadAmazon2018,
} from './amazon-2018';
export { CHECKSUMS_FILE, type ChecksumEntry, readChecksums, verifyChecksums, writeChecksums } from './checksums';
export { DownloadError } from './download-error';
export { type DownloadEvent, type DownloadOptions, type DownloadResult, downloadFile } from './download-file';
export { type OfflineDetails, OfflineError } from './offline-error';
export { verifyGzip } from './verify-gzip';
