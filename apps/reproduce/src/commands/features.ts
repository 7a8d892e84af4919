import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverFeatureFiles, findAmazonFiles, loadDataset } from '@imecd/data-amazon';
import {
  createImageFetcher,
  createTfidfTextEncoder,
  createTransformersImageEncoder,
  createTransformersTextEncoder,
  encodeImageFeatures,
  encodeTextFeatures,
  type FeatureProgressEvent,
  itemTexts,
  readImageUrls,
  type WriteFeatureFilesResult,
} from '@imecd/features';
import { parsePositiveInteger } from '../cli-args';
import type { CliIo } from '../cli-io';
import { createProgressBar, formatBytes } from '../progress-bar';
import { resolveDatasetFolder } from '../shipped-datasets';
import { UsageError } from '../usage-error';

export const FEATURES_USAGE = `pnpm reproduce features [--dataset NAME | --data-dir DIR] [--out DIR] [--text-model tfidf|none|MODEL] [--image-model none|MODEL] [--dim D]

Writes item features for a dataset: text.f32 / text.mask / text.manifest.json (and image.* with
--image-model), rows aligned with the dataset's item ids, into DIR (default: the dataset's own
folder, where loading the dataset picks them up). Resumable: a rerun skips what is done.

  --text-model tfidf     offline TF-IDF (word + character n-grams) with a fixed seeded projection to
                         --dim dimensions (default 256); needs no download; weaker than a pretrained model
  --text-model MODEL     a pretrained model through @huggingface/transformers (optional install), a
                         folder or an id under --model-dir, e.g. Xenova/bert-base-uncased ([CLS]) or
                         Xenova/all-MiniLM-L6-v2 (mean); none = no text features
  --image-model MODEL    e.g. Xenova/clip-vit-base-patch32; images come from --meta FILE (an Amazon
                         2014/2018/2023 meta file; default: the one beside raw reviews in the folder)
  --model-dir DIR        folder holding <owner>/<name>/ model folders
  --pooling cls|mean     override the model card's pooling (text)
  --dtype fp32|q8        onnx/model.onnx or onnx/model_quantized.onnx (default fp32)
  --allow-remote         let @huggingface/transformers download missing models from the hub
  --image-cache DIR      downloaded images (default: DIR/image-cache); failures go to DIR/image.failures.jsonl
  --concurrency N        image downloads at once (default 8)
  --json                 print a JSON summary on stdout`;

export async function runFeatures(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      'text-model': { type: 'string', default: 'tfidf' },
      'image-model': { type: 'string', default: 'none' },
      'model-dir': { type: 'string' },
      meta: { type: 'string' },
      'image-cache': { type: 'string' },
      dim: { type: 'string', default: '256' },
      pooling: { type: 'string' },
      dtype: { type: 'string', default: 'fp32' },
      concurrency: { type: 'string', default: '8' },
      'allow-remote': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const { name, dir } = resolveDatasetFolder({ dataset: values.dataset, dataDir: values['data-dir'] }, io.env, io.cwd);
  const out = values.out === undefined ? dir : resolve(io.cwd, values.out);
  const dim = parsePositiveInteger('--dim', values.dim);
  const concurrency = parsePositiveInteger('--concurrency', values.concurrency);
  const pooling = values.pooling;
  if (pooling !== undefined && pooling !== 'cls' && pooling !== 'mean')
    throw new UsageError(`--pooling must be cls or mean, got "${pooling}"`);
  const dtype = values.dtype;
  if (dtype !== 'fp32' && dtype !== 'q8') throw new UsageError(`--dtype must be fp32 or q8, got "${dtype}"`);
  const modelDir = values['model-dir'] === undefined ? undefined : resolve(io.cwd, values['model-dir']);
  const textModel = values['text-model'];
  const imageModel = values['image-model'];
  if (textModel === 'none' && imageModel === 'none')
    throw new UsageError('nothing to do: --text-model none and no --image-model');

  // Features of another origin (e.g. scientific's .feat1CLS) would clash with ours on loading.
  const modalities = [...(textModel === 'none' ? [] : ['text']), ...(imageModel === 'none' ? [] : ['image'])];
  if (out === dir) {
    const clash = (await discoverFeatureFiles(dir)).find(
      (entry) => entry.manifest === undefined && modalities.includes(entry.modality),
    );
    if (clash !== undefined)
      throw new UsageError(
        `${clash.file} already holds ${clash.modality} features for "${name}"; write elsewhere with --out DIR`,
      );
  }
  // Existing feature files are not read: they may be the stale ones this run replaces.
  const dataset = await loadDataset(dir, { name, features: false });
  const summary: Record<string, unknown> = { dataset: name, items: dataset.numItems, out };
  const pretrained = { modelDir, dtype, allowRemote: values['allow-remote'] } as const;

  if (textModel !== 'none') {
    const { texts, source } = itemTexts(dataset);
    if (source === 'none')
      throw new UsageError(
        `dataset "${name}" has no item text (titles, meta text or attributes); use --text-model none`,
      );
    const encoder =
      textModel === 'tfidf'
        ? // Attribute ids are opaque tokens: their characters carry no meaning, so no character n-grams.
          createTfidfTextEncoder(
            texts.filter((text): text is string => text !== undefined),
            { dim, ...(source === 'attributes' ? { charNgrams: false as const } : {}) },
          )
        : await createTransformersTextEncoder({
            model: textModel,
            ...pretrained,
            ...(pooling === undefined ? {} : { pooling }),
          });
    io.stderr(`text: ${encoder.modelName} (${encoder.pooling}, ${encoder.dim}-d) over item ${source}\n`);
    const started = Date.now();
    const result = await encodeTextFeatures({ dataset, encoder, dir: out, texts, onProgress: reporter(io, 'text') });
    summary.text = report(io, 'text', result, (Date.now() - started) / 1000, out);
  }

  if (imageModel !== 'none') {
    const metaFile = values.meta === undefined ? findAmazonFiles(dir)?.meta : resolve(io.cwd, values.meta);
    if (metaFile === undefined)
      throw new UsageError(
        `images need the item image URLs: pass --meta FILE (an Amazon meta file covering "${name}")`,
      );
    const encoder = await createTransformersImageEncoder({ model: imageModel, ...pretrained });
    const imageUrls = await readImageUrls(metaFile, dataset.itemKeys);
    io.stderr(
      `image: ${encoder.modelName} (${encoder.dim}-d); ${imageUrls.filter(Boolean).length} of ${dataset.numItems} items have an image URL\n`,
    );
    const onProgress = reporter(io, 'image');
    const fetcher = createImageFetcher({
      cacheDir: values['image-cache'] === undefined ? join(out, 'image-cache') : resolve(io.cwd, values['image-cache']),
      failureLog: join(out, 'image.failures.jsonl'),
      concurrency,
      onProgress,
    });
    const started = Date.now();
    const result = await encodeImageFeatures({ dataset, encoder, fetcher, imageUrls, dir: out, onProgress });
    summary.image = report(io, 'image', result, (Date.now() - started) / 1000, out);
  }

  if (out !== dir) io.stderr(`note: loading "${name}" reads features from ${dir}; move the files there to use them\n`);
  if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
  return 0;
}

/** Progress on stderr: a bar over items, plus one line per image that could not be had. */
function reporter(io: CliIo, label: string): (event: FeatureProgressEvent) => void {
  const bar = createProgressBar(io);
  return (event) => {
    if (event.type === 'start' && event.resumedFrom > 0)
      io.stderr(`${label}: resuming after item ${event.resumedFrom}\n`);
    else if (event.type === 'chunk')
      bar.update({ label, done: event.done, total: event.itemCount, detail: `${event.missing} missing` });
    else if (event.type === 'done')
      bar.finish({ label, done: event.itemCount, total: event.itemCount, detail: `${event.missing} missing` });
    else if (event.type === 'up-to-date') io.stderr(`${label}: up to date (${event.manifest})\n`);
    else if (event.type === 'image-failed')
      io.stderr(`image of item ${event.item} missing: ${event.reason} after ${event.attempts} attempt(s)\n`);
  };
}

function report(
  io: CliIo,
  label: string,
  result: WriteFeatureFilesResult,
  seconds: number,
  out: string,
): Record<string, unknown> {
  const { manifest } = result;
  const valuesFile = join(out, manifest.values);
  const bytes = statSync(valuesFile).size;
  io.stderr(
    `${label}: ${manifest.itemCount} items × ${manifest.dim}, ${manifest.missingCount} missing → ${valuesFile} (${formatBytes(bytes)}) in ${seconds.toFixed(1)} s\n`,
  );
  return {
    model: manifest.modelName,
    dim: manifest.dim,
    missing: manifest.missingCount,
    encodedNow: result.encodedNow,
    file: valuesFile,
    bytes,
    seconds,
  };
}
