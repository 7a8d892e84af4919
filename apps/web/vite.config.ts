import { defineConfig } from 'vite';
import { workspaceAliases } from '../../vitest.shared.ts';

// The page bundles the @imecd packages from their sources (as the tests read them), so it needs no
// prior package build and runs the very code the Node side of the browser test runs.
export default defineConfig({
  base: './', // relative asset URLs: dist/ can be hosted under any path
  resolve: { alias: workspaceAliases() },
  build: {
    outDir: 'dist',
    target: 'es2022',
    chunkSizeWarningLimit: 2048, // tfjs is most of the page; it is one chunk on purpose
    rolldownOptions: {
      // @imecd/backend reaches for Dawn's `webgpu` package only where there is no navigator.gpu (Node);
      // the page never calls it there, so the Node addon's loader stays out of the bundle. (Its other
      // Node-only paths, node:fs and node:os, Vite replaces with empty stubs and says so.)
      external: ['webgpu'],
    },
  },
});
