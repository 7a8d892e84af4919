import { packageBuild } from '../../tsup.config.base';

// Two entries: `@imecd/recommender` (runs anywhere) and `@imecd/recommender/node` (node:fs).
export default packageBuild({ entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } });
