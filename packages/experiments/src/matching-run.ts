import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRegistry } from './model-registry';
import { type RunConfig, recordedInputs, recordedTrainSettings } from './run-config';

/**
 * What makes two runs the same experiment, besides their data (sameData); the protocol follows from
 * the dataset and settings.
 */
const IDENTITY_KEYS = [
  'model',
  'dataset',
  'seeds',
  'train',
  'hyperparameters',
  'backend',
  'workers',
  'inputs',
  'features',
] as const;

/**
 * The newest run folder under `root` whose config.json describes the same experiment as `config`
 * (finished or not), or undefined. Folders that cannot be read are skipped: they are not a match.
 */
export async function findMatchingRun(
  registry: ModelRegistry,
  root: string,
  config: RunConfig,
): Promise<string | undefined> {
  if (!existsSync(root)) return undefined;
  const identity = (run: RunConfig) => runIdentity(registry, run);
  const wanted = identity(config);
  // Run folder names start with a UTC stamp, so the reverse name order is newest first.
  const names = (await readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && entry.name.includes(`-${config.model}-`))
    .map((entry) => entry.name)
    .sort()
    .reverse();
  for (const name of names) {
    try {
      const candidate = JSON.parse(await readFile(join(root, name, 'config.json'), 'utf8')) as RunConfig;
      if (identity(candidate) === wanted && sameData(candidate, config)) return join(root, name);
    } catch {
      // not a run folder, or one killed before its config was written
    }
  }
  return undefined;
}

/**
 * A run that recorded its data's fingerprint matches by it, from any folder; one made before the
 * fingerprint was recorded matches only a run of the same folder, as it always did.
 */
function sameData(candidate: RunConfig, wanted: RunConfig): boolean {
  return candidate.data !== undefined && wanted.data !== undefined
    ? candidate.data === wanted.data
    : candidate.datasetDir === wanted.datasetDir;
}

function runIdentity(registry: ModelRegistry, config: RunConfig): string {
  // A setting added to a model or the trainer after a run was made is absent from its config; the
  // run used the value in force then: the setting's default, or, where the default has changed
  // since, the old value (recordedTrainSettings, recordedHyperparameters). Settings the model never
  // reads do not tell runs apart (identifyingHyperparameters).
  const withDefaults = {
    ...config,
    train: recordedTrainSettings(config.train),
    hyperparameters: registry.has(config.model)
      ? registry.identifyingHyperparameters(config.model, config.hyperparameters)
      : config.hyperparameters,
    // A run that reads features and predates the inputs' record read the default inputs.
    inputs: config.features !== undefined ? recordedInputs(config) : undefined,
  };
  return canonicalJson(Object.fromEntries(IDENTITY_KEYS.map((key) => [key, withDefaults[key]])));
}

/** JSON with object keys sorted at every level, so key order never decides a match. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
