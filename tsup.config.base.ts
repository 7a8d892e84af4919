import { defineConfig, type Options } from 'tsup';

/** The one build recipe every package uses: ESM + CJS + .d.ts, tfjs and siblings left external. */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: false,
    ...overrides,
  });
}
