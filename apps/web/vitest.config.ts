import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases() },
  // The browser test builds the page and drives Chromium: minutes on a loaded 2-core machine.
  test: { name: '@imecd/web', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 300_000 },
});
