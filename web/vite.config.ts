import { defineConfig } from 'vitest/config';

// Where `npm run dev` forwards API calls; WAGENT_API_URL overrides it (read without Node's types).
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
const api = env.WAGENT_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // Vite's own esbuild turns JSX into react/jsx-runtime calls; no React plugin needed.
  esbuild: { jsx: 'automatic' },
  resolve: { alias: [{ find: /^@\//, replacement: '/src/' }] },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: false },
      '/config.json': { target: api },
      '/healthz': { target: api },
      '/sandbox': { target: api },
      '/media': { target: api },
      '/api': { target: api },
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/config.json': { target: api },
      '/healthz': { target: api },
      '/sandbox': { target: api },
      '/media': { target: api },
      '/api': { target: api },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    target: 'es2022',
    rollupOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        manualChunks: {
          react: ['react', 'react-dom', 'react-dom/client', 'react-router'],
          graphql: ['urql', '@urql/core', 'graphql-ws'],
          oidc: ['oidc-client-ts'],
        },
      },
      onwarn(warning, warn) {
        // react-router marks its modules "use client"; meaningless in a plain SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'node',
    restoreMocks: true,
  },
});
