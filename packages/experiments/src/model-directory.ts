import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError } from '@imecd/core';
import type { SequenceDataset } from '@imecd/data-amazon';
import { RunMismatchError } from './errors';
import type { ModelRegistry } from './model-registry';
import { encodeModelDirectory } from './portable/encode-model-directory';
import {
  type LoadedModel,
  type LoadModelDirectoryOptions,
  loadFromReader,
  loadModelDirectory as loadPortable,
  type ModelDirectorySource,
} from './portable/load-model-directory';
import type { ModelCard } from './portable/model-file-format';
import { formatProtocol } from './protocol';
import { runModalityInputs, type SeedMetrics } from './run-config';
import { readJson, seedDirectory } from './run-directory';
import { loadBestModel, openRun } from './trained-run';

export interface ExportRunModelOptions {
  registry: ModelRegistry;
  /** A run folder (its first seed, or `seed`) or one of its seed-N folders. */
  run: string;
  seed?: number;
  /** The run's dataset, loaded (its items, titles and the features the model reads). */
  dataset: SequenceDataset;
  /** The folder to write; it must not exist or be empty, unless `overwrite`. */
  out: string;
  overwrite?: boolean;
  /** model.json's `generatedBy`. Default '@imecd/experiments'. */
  generatedBy?: string;
}

/**
 * Writes a trained seed's best-validation model as a portable directory (see
 * `@imecd/experiments/portable`). The files are written to a sibling folder and renamed into place,
 * so a crash leaves either no directory or a whole one.
 */
export async function exportRunModel(
  options: ExportRunModelOptions,
): Promise<{ dir: string; card: ModelCard; files: { name: string; bytes: number }[] }> {
  const { registry, dataset } = options;
  const out = resolve(options.out);
  if (existsSync(out) && readdirSync(out).length > 0 && !options.overwrite)
    throw new InvalidArgumentError('out', `${out} exists and is not empty; choose another folder or overwrite it`);
  const opened = await openRun(options.run);
  const { runDir, config } = opened;
  const seed = options.seed ?? opened.seed;
  const seedDir = seedDirectory(runDir, seed);
  const metrics = await readJson<SeedMetrics>(join(seedDir, 'metrics.json'));
  const loaded = await loadBestModel(registry, config, dataset, seed, seedDir);
  if (!loaded) throw new RunMismatchError(`${seedDir} has no checkpoint.bin: the run did not finish an epoch`);
  const { model } = loaded;
  try {
    const card: ModelCard = {
      model: config.model,
      dataset: config.dataset,
      numItems: dataset.numItems,
      maxLength: model.maxLength,
      seed,
      bestEpoch: metrics.bestEpoch,
      backend: config.backend,
      protocol: formatProtocol(config.protocol),
      valid: numbersOf(metrics.valid),
      test: numbersOf(metrics.test),
      command: withoutFolders(await readFile(join(runDir, 'command.txt'), 'utf8').catch(() => '')),
      run: basename(runDir),
      exportedAt: new Date().toISOString(),
    };
    const files = encodeModelDirectory({
      model,
      seed,
      hyperparameters: registry.recordedHyperparameters(config.model, config.hyperparameters),
      inputs: runModalityInputs(registry, config, dataset),
      catalogue: {
        keys: [...dataset.itemKeys],
        titles: dataset.itemKeys.map((_, item) => dataset.itemTitles?.[item] ?? dataset.itemText?.[item]),
      },
      card,
      generatedBy: options.generatedBy ?? '@imecd/experiments',
    });
    const partial = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(partial, name), content);
    await rm(out, { recursive: true, force: true });
    await rename(partial, out);
    const sizes = Object.entries(files).map(([name, content]) => ({
      name,
      bytes: typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength,
    }));
    return { dir: out, card, files: sizes };
  } finally {
    model.dispose();
  }
}

/**
 * Loads a model directory from a folder (`{ path }`), a base URL or files in memory; see
 * `loadModelDirectory` of `@imecd/experiments/portable`.
 */
export async function loadModelDirectory(
  source: ModelDirectorySource | { path: string },
  options: LoadModelDirectoryOptions = {},
): Promise<LoadedModel> {
  if (!('path' in source)) return loadPortable(source, options);
  const root = resolve(source.path);
  return loadFromReader(
    {
      label: (name) => join(root, name),
      read: async (name) =>
        existsSync(join(root, name)) ? new Uint8Array(await readFile(join(root, name))) : undefined,
    },
    options,
  );
}

function numbersOf(values: Readonly<Record<string, unknown>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}

/** A command line with every absolute path reduced to its last name: model files carry no machine's folders. */
function withoutFolders(command: string): string {
  return command
    .trim()
    .split(/\s+/)
    .map((word) => (isAbsolute(word) ? basename(word) : word))
    .join(' ');
}
