import { resolve } from 'node:path';
import { formatBytes } from '@imecd/experiments';
import {
  type DatasetFeaturesEvent,
  type FeatureProgressEvent,
  FeatureRequestError,
  writeDatasetFeatures,
} from '@imecd/features';
import { DATASET_FLAGS, JSON_FLAG, parseFlags, parsePositiveInteger } from '../cli-args';
import { type CliIo, progressBar } from '../cli-io';
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
  const values = parseFlags(args, {
    ...DATASET_FLAGS,
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
    ...JSON_FLAG,
  });
  const { name, dir } = resolveDatasetFolder(values, io);
  const out = values.out === undefined ? dir : resolve(io.cwd, values.out);
  const dim = parsePositiveInteger('--dim', values.dim);
  const concurrency = parsePositiveInteger('--concurrency', values.concurrency);
  const pooling = values.pooling;
  if (pooling !== undefined && pooling !== 'cls' && pooling !== 'mean')
    throw new UsageError(`--pooling must be cls or mean, got "${pooling}"`);
  const dtype = values.dtype;
  if (dtype !== 'fp32' && dtype !== 'q8') throw new UsageError(`--dtype must be fp32 or q8, got "${dtype}"`);
  const modelDir = values['model-dir'] === undefined ? undefined : resolve(io.cwd, values['model-dir']);
  const progress = { text: reporter(io, 'text'), image: reporter(io, 'image') };
  const onEvent = (event: DatasetFeaturesEvent) => {
    if (event.type === 'text-encoder')
      io.stderr(`text: ${event.modelName} (${event.pooling}, ${event.dim}-d) over item ${event.source}\n`);
    else if (event.type === 'image-encoder')
      io.stderr(
        `image: ${event.modelName} (${event.dim}-d); ${event.itemsWithUrl} of ${event.items} items have an image URL\n`,
      );
    else if (event.type === 'progress') progress[event.modality](event.event);
    else {
      const { file, bytes, dim: width, missing, seconds } = event.summary;
      io.stderr(
        `${event.modality}: ${event.itemCount} items × ${width}, ${missing} missing → ${file} (${formatBytes(bytes)}) in ${seconds.toFixed(1)} s\n`,
      );
    }
  };
  const summary = await writeDatasetFeatures({
    dir,
    name,
    out,
    textModel: values['text-model'],
    imageModel: values['image-model'],
    dim,
    ...(pooling === undefined ? {} : { pooling }),
    pretrained: { ...(modelDir === undefined ? {} : { modelDir }), dtype, allowRemote: values['allow-remote'] },
    ...(values.meta === undefined ? {} : { metaFile: resolve(io.cwd, values.meta) }),
    ...(values['image-cache'] === undefined ? {} : { imageCacheDir: resolve(io.cwd, values['image-cache']) }),
    concurrency,
    onEvent,
  }).catch((error: unknown) => {
    throw error instanceof FeatureRequestError ? new UsageError(error.message) : error;
  });
  if (out !== dir) io.stderr(`note: loading "${name}" reads features from ${dir}; move the files there to use them\n`);
  if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
  return 0;
}

/** Progress on stderr: a bar over items, plus one line per image that could not be had. */
function reporter(io: CliIo, label: string): (event: FeatureProgressEvent) => void {
  const bar = progressBar(io);
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
