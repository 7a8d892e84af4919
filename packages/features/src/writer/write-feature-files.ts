import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ImecdError, InvalidArgumentError, ShapeMismatchError } from '@imecd/core';
import {
  datasetFingerprint,
  FEATURE_MANIFEST_FORMAT,
  type FeatureManifest,
  readFeatureManifest,
  writeFileAtomic,
} from '@imecd/data-amazon';
import { type EncoderInfo, encoderInfo } from '../encoder';
import type { FeatureProgressListener } from './progress-events';

/** Rows for the items of one chunk, in the order asked; `present[r] = 0` marks item r missing. */
export interface EncodedChunk {
  /** items.length × dim floats; rows of missing items are ignored (written as zeros). */
  values: Float32Array;
  present: Uint8Array;
}

/** Options of `writeFeatureFiles`. */
export interface WriteFeatureFilesArgs {
  /** Output folder, created if needed. Required. */
  dir: string;
  /** File prefix and manifest modality, e.g. "text". Required. */
  modality: string;
  /** The dataset the rows are aligned with: row r = item id r + 1. Required. */
  dataset: { name: string; itemKeys: readonly string[] };
  /** Model name, revision, dim and pooling, copied into the manifest. Required. */
  encoder: EncoderInfo;
  /** Encodes the given item ids. Required. */
  encodeChunk: (items: Int32Array, signal: AbortSignal | undefined) => Promise<EncodedChunk>;
  /** Items per chunk; progress is saved after each. Default 256. */
  chunkSize?: number;
  onProgress?: FeatureProgressListener;
  /** Stops between chunks (and inside `encodeChunk` where it listens); a rerun resumes. */
  signal?: AbortSignal;
}

export interface WriteFeatureFilesResult {
  manifest: FeatureManifest;
  manifestFile: string;
  /** Items encoded by this call (0 when the files were up to date). */
  encodedNow: number;
  /** Items a previous, interrupted run had encoded already. */
  resumedFrom: number;
}

const PROGRESS_FORMAT = 'imecd-features-progress/1';

/**
 * Writes `<modality>.f32` (float32, N rows × D, row r = item id r + 1, as data-amazon reads
 * it), `<modality>.mask` (one byte per item, 0 = missing) and `<modality>.manifest.json`.
 * Encoding runs in chunks into `.partial` files; after each chunk a progress record is replaced
 * atomically, so a killed run resumes where it stopped. The final files appear by rename, the
 * manifest last. Files whose manifest already matches this encoder and dataset are left alone.
 */
export async function writeFeatureFiles(args: WriteFeatureFilesArgs): Promise<WriteFeatureFilesResult> {
  const { dir, modality, dataset, encodeChunk, chunkSize = 256, onProgress, signal } = args;
  if (!/^[a-z][a-z0-9_-]*$/.test(modality))
    throw new InvalidArgumentError(
      'modality',
      `expected a lower-case name like "text", got ${JSON.stringify(modality)}`,
    );
  if (!Number.isInteger(chunkSize) || chunkSize < 1)
    throw new InvalidArgumentError('chunkSize', `expected a positive integer, got ${chunkSize}`);
  const info = encoderInfo(args.encoder);
  const itemCount = dataset.itemKeys.length - 1;
  if (itemCount < 1) throw new InvalidArgumentError('dataset', 'has no items');
  const { dim } = info;
  const fingerprint = datasetFingerprint(dataset.itemKeys);
  const files = {
    values: join(dir, `${modality}.f32`),
    mask: join(dir, `${modality}.mask`),
    manifest: join(dir, `${modality}.manifest.json`),
    partialValues: join(dir, `${modality}.f32.partial`),
    partialMask: join(dir, `${modality}.mask.partial`),
    progress: join(dir, `${modality}.progress.json`),
  };
  await mkdir(dir, { recursive: true });
  // What must be equal for old output or a partial run to count as this run's.
  const key = { ...info, itemCount, datasetFingerprint: fingerprint };

  const current = await matchingManifest(files.manifest, key);
  if (current !== undefined) {
    onProgress?.({ type: 'up-to-date', modality, itemCount, manifest: files.manifest });
    return { manifest: current, manifestFile: files.manifest, encodedNow: 0, resumedFrom: itemCount };
  }

  const resumedFrom = await resumePoint(files, key, dim, itemCount);
  if (resumedFrom === 0) {
    // A fresh start: zero-filled partial files of the final size, then the progress record.
    for (const [file, bytes] of [
      [files.partialValues, 4 * itemCount * dim],
      [files.partialMask, itemCount],
    ] as const) {
      const handle = await open(file, 'w');
      await handle.truncate(bytes);
      await handle.close();
    }
    await writeFileAtomic(files.progress, JSON.stringify({ format: PROGRESS_FORMAT, key, done: 0 }));
  }
  onProgress?.({ type: 'start', modality, itemCount, resumedFrom });

  const valuesHandle = await open(files.partialValues, 'r+');
  const maskHandle = await open(files.partialMask, 'r+');
  let missing = await countMissing(files.partialMask, resumedFrom);
  try {
    for (let start = resumedFrom; start < itemCount; start += chunkSize) {
      signal?.throwIfAborted();
      const end = Math.min(itemCount, start + chunkSize);
      const items = Int32Array.from({ length: end - start }, (_, row) => start + row + 1);
      const chunk = await encodeChunk(items, signal);
      const { values, present } = checkedChunk(chunk, items, dim, info.modelName);
      missing += present.reduce((sum, flag) => sum + (flag === 0 ? 1 : 0), 0);
      await valuesHandle.write(
        new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        0,
        values.byteLength,
        4 * start * dim,
      );
      await maskHandle.write(present, 0, present.length, start);
      await valuesHandle.datasync();
      await maskHandle.datasync();
      // Only after the rows are on disk does the record say so.
      await writeFileAtomic(files.progress, JSON.stringify({ format: PROGRESS_FORMAT, key, done: end }));
      onProgress?.({ type: 'chunk', modality, done: end, itemCount, missing });
    }
  } finally {
    await valuesHandle.close();
    await maskHandle.close();
  }

  const sha256 = createHash('sha256')
    .update(await readFile(files.partialValues))
    .digest('hex');
  missing = await countMissing(files.partialMask, itemCount);
  const manifest: FeatureManifest = {
    format: FEATURE_MANIFEST_FORMAT,
    modality,
    values: `${modality}.f32`,
    mask: `${modality}.mask`,
    itemCount,
    dim,
    missingCount: missing,
    modelName: info.modelName,
    modelRevision: info.revision,
    pooling: info.pooling,
    sha256,
    datasetName: dataset.name,
    datasetFingerprint: fingerprint,
  };
  await rename(files.partialMask, files.mask);
  await rename(files.partialValues, files.values);
  await writeFileAtomic(files.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  await rm(files.progress, { force: true });
  onProgress?.({ type: 'done', modality, itemCount, missing, manifest: files.manifest });
  return { manifest, manifestFile: files.manifest, encodedNow: itemCount - resumedFrom, resumedFrom };
}

interface RunKey extends EncoderInfo {
  itemCount: number;
  datasetFingerprint: string;
}

/** The manifest at `file` when it describes exactly this run's output and its values file is intact. */
async function matchingManifest(file: string, key: RunKey): Promise<FeatureManifest | undefined> {
  if (!existsSync(file)) return undefined;
  const manifest = await readFeatureManifest(file).catch(() => undefined);
  if (manifest === undefined) return undefined;
  const same =
    manifest.modelName === key.modelName &&
    manifest.modelRevision === key.revision &&
    manifest.pooling === key.pooling &&
    manifest.dim === key.dim &&
    manifest.itemCount === key.itemCount &&
    manifest.datasetFingerprint === key.datasetFingerprint;
  if (!same) return undefined;
  const valuesFile = join(file, '..', manifest.values);
  const bytes = await readFile(valuesFile).catch(() => undefined);
  return bytes !== undefined && createHash('sha256').update(bytes).digest('hex') === manifest.sha256
    ? manifest
    : undefined;
}

/** Items already encoded by an interrupted run with the same key, or 0 to start afresh. */
async function resumePoint(
  files: Record<'partialValues' | 'partialMask' | 'progress', string>,
  key: RunKey,
  dim: number,
  itemCount: number,
): Promise<number> {
  if (!existsSync(files.progress)) return 0;
  const record = JSON.parse(await readFile(files.progress, 'utf8').catch(() => 'null')) as {
    format?: unknown;
    key?: unknown;
    done?: unknown;
  } | null;
  if (record?.format !== PROGRESS_FORMAT || JSON.stringify(record.key) !== JSON.stringify(key)) return 0;
  const done = record.done;
  if (typeof done !== 'number' || !Number.isInteger(done) || done < 0 || done > itemCount) return 0;
  const sizes = await Promise.all(
    [stat(files.partialValues), stat(files.partialMask)].map((pending) =>
      pending.then(
        (entry) => entry.size,
        () => -1,
      ),
    ),
  );
  return sizes[0] === 4 * itemCount * dim && sizes[1] === itemCount ? done : 0;
}

async function countMissing(maskFile: string, upTo: number): Promise<number> {
  if (upTo === 0) return 0;
  const mask = await readFile(maskFile);
  let missing = 0;
  for (let row = 0; row < upTo; row++) if (mask[row] === 0) missing++;
  return missing;
}

/**
 * Checks the encoder's output and applies the "never a fake vector" rule: a row marked missing
 * or all zeros (nothing to encode) is written as zeros with mask 0. NaN or ∞ is an encoder bug.
 */
function checkedChunk(chunk: EncodedChunk, items: Int32Array, dim: number, modelName: string): EncodedChunk {
  const rows = items.length;
  if (chunk.values.length !== rows * dim)
    throw new ShapeMismatchError(
      `${modelName} output`,
      `[${rows}, ${dim}] (${rows * dim} floats)`,
      `${chunk.values.length} floats`,
    );
  if (chunk.present.length !== rows)
    throw new ShapeMismatchError(`${modelName} present flags`, `[${rows}]`, [chunk.present.length]);
  const values = new Float32Array(chunk.values);
  const present = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    const slice = values.subarray(row * dim, (row + 1) * dim);
    if (chunk.present[row] !== 0 && !slice.every(Number.isFinite)) {
      throw new ImecdError('ENCODER_OUTPUT', `${modelName} returned NaN or an infinite value for item ${items[row]}`);
    }
    if (chunk.present[row] !== 0 && slice.some((value) => value !== 0)) present[row] = 1;
    else slice.fill(0);
  }
  return { values, present };
}
