// Shared by the analysis scripts: where a report's run folder is in this checkout.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';

/**
 * A run folder named by results/<report>.json: as recorded (relative to results/, or absolute in older
 * reports), else the same folder name under results/runs (where finished runs are committed).
 */
export function localRunDir(root, recorded) {
  const runDir = resolve(root, 'results', recorded);
  if (existsSync(join(runDir, 'config.json'))) return runDir;
  const committed = join(root, 'results', 'runs', basename(runDir));
  if (existsSync(join(committed, 'config.json'))) return committed;
  throw new Error(`run ${recorded} is neither here nor under results/runs`);
}
