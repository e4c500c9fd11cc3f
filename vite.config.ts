import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Two apps, one build: the citizen pages (web/index.html, budget 350 KB gzip of JS in all) and the staff app
// (web/staff/index.html). Served from web/dist by src/web/routes.ts.
export default defineConfig({
  root: resolve(import.meta.dirname, 'web'),
  base: '/',
  build: {
    outDir: resolve(import.meta.dirname, 'web/dist'),
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      input: {
        citizen: resolve(import.meta.dirname, 'web/index.html'),
        staff: resolve(import.meta.dirname, 'web/staff/index.html'),
      },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/open311': 'http://127.0.0.1:3000' } },
});
