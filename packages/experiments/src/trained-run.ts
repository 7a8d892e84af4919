import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type SequenceDataset, splitLeaveOneOut } from '@imecd/data-amazon';
import { restoreVariables } from '@imecd/nn';
import type { RecommenderModel, TrainerCheckpoint } from '@imecd/recommender';
import { readCheckpointFile } from '@imecd/recommender/node';
import type { ModelRegistry } from './model-registry';
import { type RunConfig, runModalityInputs } from './run-config';
import { readJson, seedDirectory } from './run-directory';

/**
 * A run folder given as itself or as one of its seed-N folders, with its config, and the seed the
 * path names: that folder's, or the run's first seed for a run folder.
 */
export async function openRun(
  path: string,
): Promise<{ runDir: string; seed: number; seedDir: string; config: RunConfig }> {
  let runDir = resolve(path);
  let named: number | undefined;
  if (!existsSync(join(runDir, 'config.json')) && existsSync(join(dirname(runDir), 'config.json'))) {
    named = Number(/seed-(-?\d+)$/.exec(runDir)?.[1]);
    runDir = dirname(runDir);
  }
  const config = await readJson<RunConfig>(join(runDir, 'config.json'));
  const seed = named !== undefined && Number.isInteger(named) ? named : config.seeds[0]!;
  return { runDir, seed, seedDir: seedDirectory(runDir, seed), config };
}

/**
 * One seed's model as training left it at its best validation epoch: weights restored from the
 * seed folder's checkpoint, or, for models learned by counting (Pop), fitted again — which is
 * deterministic. Undefined when a trained model has no checkpoint yet.
 */
export async function loadBestModel(
  registry: ModelRegistry,
  config: RunConfig,
  dataset: SequenceDataset,
  seed: number,
  seedDir: string,
): Promise<{ model: RecommenderModel; checkpoint: TrainerCheckpoint | undefined } | undefined> {
  const model = registry.create(config.model, {
    numItems: dataset.numItems,
    seed,
    hyperparameters: registry.recordedHyperparameters(config.model, config.hyperparameters),
    inputs: runModalityInputs(registry, config, dataset),
  });
  if (model.fit) {
    const split = splitLeaveOneOut(dataset, { maxHistory: model.maxLength });
    model.fit({ trainingSequences: split.train.sequences, fullSequences: dataset.sequences });
    return { model, checkpoint: undefined };
  }
  const checkpointFile = join(seedDir, 'checkpoint.bin');
  if (!existsSync(checkpointFile)) {
    model.dispose();
    return undefined;
  }
  try {
    const checkpoint = await readCheckpointFile(checkpointFile);
    restoreVariables(model.variables, checkpoint.bestWeights);
    return { model, checkpoint };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
