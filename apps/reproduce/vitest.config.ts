import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases() },
  test: {
    name: '@imecd/reproduce',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // The CLI's wasm runs on every core by default; the tests and the CLI processes they start pin one
    // thread (train-threads.test.ts tries threads in clean shells of its own).
    env: { IMECD_THREADS: '1' },
  },
});
