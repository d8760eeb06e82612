import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const sharedSrc = fileURLToPath(new URL('../shared/src/', import.meta.url));
const target = process.env.WALL_SERVER ?? 'http://127.0.0.1:3000';

// The wall client. `vite build client` (or `npm run build -w client`) writes client/dist, which
// the server serves at `/`. In dev, /api and /socket.io go to the server on port 3000.
export default defineConfig(({ mode }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [vue()],
  resolve: {
    // Bundle the shared code from source: no need to build shared/ first.
    alias: { '@wall/shared': `${sharedSrc}index.ts` },
  },
  define: {
    __VUE_OPTIONS_API__: 'false',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  },
  build: {
    // `--mode e2e` builds the same client with the test hooks (window.__wall, __replay) into
    // dist-e2e, which the e2e tests and the bench serve; dist, the product, has none.
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // The shared modules are plain declarations: let unused ones (the zod feed schemas) drop out.
      treeshake: { moduleSideEffects: (id: string) => !id.startsWith(sharedSrc) },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target, changeOrigin: true },
      '/socket.io': { target, changeOrigin: true, ws: true },
    },
  },
  preview: {
    port: 4173,
    proxy: {
      '/api': { target, changeOrigin: true },
      '/socket.io': { target, changeOrigin: true, ws: true },
    },
  },
}));
