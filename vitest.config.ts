import { defineConfig } from 'vitest/config';
import { dropTfjsNodeAdvert } from './vitest.shared.ts';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'scripts'],
    // wasm runs one thread per process: two forks use both cores.
    pool: 'forks',
    maxWorkers: 2,
    onConsoleLog: dropTfjsNodeAdvert,
  },
});
