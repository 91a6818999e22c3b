import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

// base './' so the same build loads from file:// (Electron) and from the local web host.
export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
