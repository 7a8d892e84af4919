import { existsSync } from 'node:fs';
import { loadDataset, type SequenceDataset } from '@imecd/data-amazon';
import { datasetFingerprint, type RunConfig, RunMismatchError } from '@imecd/experiments';
import type { CliIo } from './cli-io';
import { isShippedDataset, shippedDatasetFolder } from './shipped-datasets';

/**
 * The dataset a run trained on, for commands that open a run folder (evaluate, export, recommend,
 * train --resume). A run records the absolute folder it loaded; a run of a shipped dataset made in
 * another checkout (results/runs) names a folder that is not here, so this checkout's copy is read
 * instead, and must have the fingerprint the run recorded.
 */
export async function loadRunDataset(config: RunConfig, io: Pick<CliIo, 'env'>): Promise<SequenceDataset> {
  if (existsSync(config.datasetDir) || !isShippedDataset(config.dataset))
    return loadDataset(config.datasetDir, { name: config.dataset });
  const dir = shippedDatasetFolder(config.dataset, io.env);
  const dataset = await loadDataset(dir, { name: config.dataset });
  if (config.data !== undefined && datasetFingerprint(dataset) !== config.data)
    throw new RunMismatchError(
      `${config.datasetDir} (where the run's ${config.dataset} was loaded from) is not here, and ${dir} holds other interactions than the run trained on`,
    );
  return dataset;
}
