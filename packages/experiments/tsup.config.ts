import { packageBuild } from '../../tsup.config.base';

// Two entries: `@imecd/experiments` (Node: run folders, processes, threads) and
// `@imecd/experiments/portable` (the registry and model directories, for browsers too).
export default packageBuild({ entry: { index: 'src/index.ts', 'portable/index': 'src/portable/index.ts' } });
