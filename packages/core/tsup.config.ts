import { packageBuild } from '../../tsup.config.base';

// Two entries: `@imecd/core` (runs anywhere) and `@imecd/core/node` (node:fs).
export default packageBuild({ entry: { index: 'src/index.ts', 'node/index': 'src/node/index.ts' } });
