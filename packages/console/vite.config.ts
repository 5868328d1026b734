import { defineConfig } from 'vite';

// Preact's automatic JSX runtime through esbuild: no plugin needed for a page this small.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 200 },
});
