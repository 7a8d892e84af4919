import { defineProject } from 'vitest/config';
import { workspaceAliases } from '../../vitest.shared.ts';

export default defineProject({
  resolve: { alias: workspaceAliases() },
  test: { name: '@imecd/reproduce', include: ['src/**/*.test.ts'], testTimeout: 60_000 },
});
