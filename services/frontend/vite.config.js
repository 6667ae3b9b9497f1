import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The APIs are on the same origin (the ALB routes /api/* by path). For `npm run dev`, point
// VITE_API_PROXY at something that serves them, e.g. `node e2e/fake-apis.mjs --port 8081`.
const apiProxy = process.env.VITE_API_PROXY;

export default defineConfig({
  plugins: [react()],
  server: apiProxy ? { proxy: { '/api': apiProxy } } : {},
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    // No inline <script> or data: modules: the CSP is default-src 'self'.
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'jsdom',
    globals: false,
    setupFiles: ['./src/test/setup.js'],
    include: ['src/**/*.test.{js,jsx}'],
    restoreMocks: true,
  },
});
