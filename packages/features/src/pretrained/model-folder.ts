import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import { MissingModelError } from './errors';
import { expectedFiles, KNOWN_MODELS, type ModelCard } from './known-models';

/** Where a model is read from: a local folder split the way transformers.js wants it, or the hub. */
export interface ModelLocation {
  /** The id transformers.js is given: the folder name, or the hub id. */
  id: string;
  /** The model's name for manifests: its hub id ("Xenova/bert-base-uncased"), as far as the path tells. */
  name: string;
  /** `env.localModelPath`: the folder above the model folder; undefined = the hub. */
  localRoot: string | undefined;
  /** The model folder on disk, when local. */
  folder: string | undefined;
  card: ModelCard | undefined;
}

/**
 * Finds the folder of `model`: `model` itself when it is an existing path, else
 * `<modelDir>/<model>` (e.g. `models/Xenova/bert-base-uncased`). A folder that lacks files is a
 * MissingModelError listing them, with where to get them; with `allowRemote` the hub id is used
 * instead and transformers.js downloads into its cache.
 */
export function locateModel(
  model: string,
  options: { modelDir?: string; kind: 'text' | 'image'; dtype: 'fp32' | 'q8'; allowRemote?: boolean },
): ModelLocation {
  if (typeof model !== 'string' || model === '')
    throw new InvalidArgumentError('model', 'expected a hub id like "Xenova/bert-base-uncased" or a folder');
  const looksLikePath = isAbsolute(model) || model.startsWith('.') || existsSync(model);
  const folder = looksLikePath
    ? resolve(model)
    : options.modelDir === undefined
      ? undefined
      : resolve(options.modelDir, model);
  const hubId = looksLikePath ? `${basename(dirname(folder!))}/${basename(folder!)}` : model;
  const card = KNOWN_MODELS[hubId] ?? KNOWN_MODELS[model];
  if (card !== undefined && card.kind !== options.kind) {
    throw new InvalidArgumentError(
      'model',
      `${hubId} is ${card.kind === 'text' ? 'a text' : 'an image'} model; it cannot encode ${options.kind}`,
    );
  }
  const needed = expectedFiles(
    card ??
      (options.kind === 'text'
        ? { files: ['config.json', 'tokenizer.json', 'tokenizer_config.json'], onnx: 'model' }
        : { files: ['config.json', 'preprocessor_config.json'], onnx: 'vision_model' }),
    options.dtype,
  );
  const missing = folder === undefined ? needed : needed.filter((file) => !existsSync(join(folder, file)));
  if (missing.length === 0)
    return { id: basename(folder!), name: hubId, localRoot: `${dirname(folder!)}/`, folder, card };
  if (options.allowRemote === true && !looksLikePath)
    return { id: model, name: model, localRoot: undefined, folder: undefined, card };
  const target = folder ?? join('<model-dir>', model);
  const lines = [
    folder === undefined
      ? `No local folder for model "${model}" (no --model-dir given) and the hub is not allowed.`
      : `Model folder ${folder} lacks ${missing.join(', ')}.`,
    `Download these files of https://huggingface.co/${hubId} and put them here:`,
    ...needed.map((file) => `  ${join(target, file)}`),
    `e.g. huggingface-cli download ${hubId} ${needed.join(' ')} --local-dir ${target}`,
    `then pass --model-dir ${folder === undefined ? '<model-dir>' : dirname(dirname(target))} (or the folder itself as the model), or allow the hub with --allow-remote.`,
  ];
  if (card === undefined)
    lines.push(
      `"${hubId}" is not a model we know (${Object.keys(KNOWN_MODELS).join(', ')}): give its pooling as its model card says.`,
    );
  throw new MissingModelError(target, missing, lines.join('\n'));
}

/** A revision for the manifest: sha256 of the ONNX weights (the folder's content is what ran). */
export async function modelRevision(location: ModelLocation, onnxFile: string): Promise<string> {
  if (location.folder === undefined) return 'hub:main';
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(join(location.folder, onnxFile))) hash.update(chunk as Buffer);
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
