import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataFormatError, InvalidArgumentError } from '@imecd/core';
import { CHECKSUMS_FILE, type ChecksumEntry, readChecksums, writeChecksums } from './checksums';
import { type DownloadOptions, downloadFile } from './download-file';
import { sha256OfFile } from './file-sha256';
import { OfflineError } from './offline-error';
import { verifyGzip } from './verify-gzip';

/** One dataset of the Amazon 2018 release: its category and its official files. */
export interface Amazon2018Download {
  /** The official category name, e.g. "Video_Games". */
  category: string;
  /** 5-core reviews, then meta; `name` is the official file name. */
  files: { url: string; name: string }[];
}

export interface DownloadAmazon2018Options extends DownloadOptions {
  /**
   * Replaces `https://jmcauley.ucsd.edu/data/amazon_v2` in every URL (a mirror, or a local test
   * server); the paths below it stay the same. Default: the official host.
   */
  baseUrl?: string;
}

const OFFICIAL_BASE_URL = 'https://jmcauley.ucsd.edu/data/amazon_v2';

function amazon2018(category: string): Amazon2018Download {
  return {
    category,
    files: [
      { url: `${OFFICIAL_BASE_URL}/categoryFilesSmall/${category}_5.json.gz`, name: `${category}_5.json.gz` },
      { url: `${OFFICIAL_BASE_URL}/metaFiles2/meta_${category}.json.gz`, name: `meta_${category}.json.gz` },
    ],
  };
}

/**
 * The four categories of the paper from the Amazon 2018 release (Ni, Li & McAuley, EMNLP 2019):
 * 5-core reviews and item metadata, at their official addresses.
 */
export const AMAZON_2018_DOWNLOADS: Readonly<Record<string, Amazon2018Download>> = Object.freeze({
  'toys-2018': amazon2018('Toys_and_Games'),
  'games-2018': amazon2018('Video_Games'),
  'instruments-2018': amazon2018('Musical_Instruments'),
  'grocery-2018': amazon2018('Grocery_and_Gourmet_Food'),
});

/**
 * Fetches one dataset of `AMAZON_2018_DOWNLOADS` into `destDir` under the official file names,
 * with `downloadFile` (resumable; `onEvent`, `signal`, `retries`, `retryDelayMs` and `timeoutMs`
 * pass through). Each downloaded gzip is decompressed once in full, so a truncated file is caught
 * (and deleted), and recorded with its size and sha256 in `<destDir>/checksums.json`.
 *
 * Offline re-runs: a file already in `destDir` is not downloaded again. If checksums.json lists
 * it, its size and sha256 must match (else `DataFormatError`; delete the file to fetch it again);
 * if not — a file placed by hand — it must decompress fully and is then added to the manifest.
 * So once every file is present, no network is needed. When the host cannot be reached,
 * `OfflineError` names the folder and the official names to place there by hand.
 */
export async function downloadAmazon2018(
  name: string,
  destDir: string,
  options: DownloadAmazon2018Options = {},
): Promise<{ files: string[] }> {
  const dataset = Object.hasOwn(AMAZON_2018_DOWNLOADS, name) ? AMAZON_2018_DOWNLOADS[name] : undefined;
  if (dataset === undefined) {
    const valid = Object.keys(AMAZON_2018_DOWNLOADS).join(', ');
    throw new InvalidArgumentError(
      'name',
      `unknown Amazon 2018 dataset ${JSON.stringify(name)}; valid names: ${valid}`,
    );
  }
  const { baseUrl = OFFICIAL_BASE_URL, ...fileOptions } = options;
  if (fileOptions.expectedSize !== undefined || fileOptions.expectedSha256 !== undefined) {
    const reason = `expectedSize and expectedSha256 describe one file; ${name} has several, checked through ${CHECKSUMS_FILE}`;
    throw new InvalidArgumentError('options', reason);
  }
  const base = resolveBaseUrl(baseUrl);
  await mkdir(destDir, { recursive: true });
  const checksums = await readChecksums(destDir);
  const files: string[] = [];
  for (const { url, name: fileName } of dataset.files) {
    const file = join(destDir, fileName);
    const entry = (await exists(file))
      ? await verifyPresent(file, fileName, checksums.get(fileName))
      : await fetchAndVerify(
          `${base}${url.slice(OFFICIAL_BASE_URL.length)}`,
          file,
          fileName,
          destDir,
          dataset,
          fileOptions,
        );
    checksums.set(fileName, entry);
    await writeChecksums(destDir, checksums);
    files.push(file);
  }
  return { files };
}

async function fetchAndVerify(
  url: string,
  file: string,
  name: string,
  destDir: string,
  dataset: Amazon2018Download,
  options: DownloadOptions,
): Promise<ChecksumEntry> {
  let result: Awaited<ReturnType<typeof downloadFile>>;
  try {
    result = await downloadFile(url, file, options);
  } catch (error) {
    if (!(error instanceof OfflineError)) throw error;
    const names = dataset.files.map((entry) => entry.name);
    throw new OfflineError({ host: error.host, reason: error.reason, dir: destDir, names }, { cause: error });
  }
  try {
    await verifyGzip(file);
  } catch (error) {
    if (!(error instanceof DataFormatError)) throw error;
    await rm(file, { force: true });
    throw new DataFormatError(file, undefined, `${error.reason}; the file was deleted`, { cause: error });
  }
  return { name, bytes: result.bytes, sha256: result.sha256 };
}

async function verifyPresent(file: string, name: string, recorded: ChecksumEntry | undefined): Promise<ChecksumEntry> {
  if (recorded === undefined) await verifyGzip(file);
  const { bytes, sha256 } = await sha256OfFile(file);
  if (recorded !== undefined && (recorded.bytes !== bytes || recorded.sha256 !== sha256)) {
    throw new DataFormatError(
      file,
      undefined,
      `${bytes} bytes with sha256 ${sha256}, but ${CHECKSUMS_FILE} records ${recorded.bytes} bytes with sha256 ` +
        `${recorded.sha256}; delete the file to download it again`,
    );
  }
  return { name, bytes, sha256 };
}

function resolveBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new InvalidArgumentError('baseUrl', `not a URL: ${JSON.stringify(baseUrl)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new InvalidArgumentError('baseUrl', `expected http or https, got ${baseUrl}`);
  return baseUrl.replace(/\/+$/, '');
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
