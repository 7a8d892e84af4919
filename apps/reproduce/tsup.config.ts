import { packageBuild } from '../../tsup.config.base';

// An app: ESM bundles with a shebang, no declarations: the CLI and the worker thread of `train --workers`.
export default packageBuild({
  entry: ['src/cli.ts', 'src/gradient-worker.ts'],
  format: ['esm'],
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
});
