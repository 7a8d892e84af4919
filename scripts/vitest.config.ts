import { defineProject } from 'vitest/config';

// The repository scripts' own tests (the root vitest.config.ts lists this folder as a project).
export default defineProject({
  test: { name: 'scripts', include: ['**/*.test.mjs'], testTimeout: 60_000 },
});
