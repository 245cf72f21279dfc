// Remix on Vite. server.ts embeds this config in dev (middleware mode) and serves `build/` in production.
import { vitePlugin as remix } from '@remix-run/dev';
import { defineConfig } from 'vite';

declare module '@remix-run/node' {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      ignoredRouteFiles: ['**/*.test.ts', '**/*.css'],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        // Off on purpose: eager link discovery watches the DOM and rescans it for every node React Flow adds
        // (~130 ms of opening a 500-node workflow, growing with N²); Baton's route manifest is small. See decision 018.
        v3_lazyRouteDiscovery: false,
      },
    }),
  ],
  // Monaco's workers are bundled as ES module workers (`?worker` imports), never fetched from a CDN.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // Browser dependencies are listed, not discovered: a dependency discovered mid-session makes Vite re-optimize
  // and reload the page (and can load React twice), which breaks live sessions and e2e tests.
  optimizeDeps: {
    noDiscovery: true,
    include: [
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      '@remix-run/react',
      '@xyflow/react',
      'zustand',
      'zustand/vanilla',
      'zustand/react/shallow',
      'socket.io-client',
      'jsonata',
      '@monaco-editor/react',
      'monaco-editor/esm/vs/editor/edcore.main',
      'monaco-editor/esm/vs/language/json/monaco.contribution',
      'monaco-editor/esm/vs/language/typescript/monaco.contribution',
      'monaco-editor/esm/vs/basic-languages/javascript/javascript.contribution',
    ],
  },
  server: { watch: { ignored: ['**/.baton/**', '**/.baton-*/**', '**/test-results/**', '**/docs/**'] } },
});
