import { packageBuild } from '../../tsup.config.base';

// An app: one ESM bundle with a shebang, no declarations.
export default packageBuild({
  entry: ['src/cli.ts'],
  format: ['esm'],
  dts: false,
  banner: { js: '#!/usr/bin/env node' },
});
