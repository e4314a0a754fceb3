import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [
    react(),
    // Installable, and usable in the field with no signal after one visit: Workbox precaches
    // the app shell and keeps the API's last answers (network first, so a page online is
    // never stale); what is entered offline waits in IndexedDB (src/field/outbox.ts).
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'huuco — Vùng sản xuất hữu cơ',
        short_name: 'huuco',
        description: 'Vùng sản xuất hữu cơ và truy xuất nguồn gốc, từ thửa ruộng đến mã QR.',
        lang: 'vi',
        start_url: '/app/',
        scope: '/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#2e7d32',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        // Leaflet and the map tools make the shell larger than Workbox's 2 MiB default.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        // Only the web app's pages; provenance pages and the API are the server's.
        navigateFallbackAllowlist: [/^\/app(\/|$)/],
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            urlPattern: ({ url, request, sameOrigin }) =>
              sameOrigin &&
              request.method === 'GET' &&
              url.pathname.startsWith('/api/v1/') &&
              !url.pathname.startsWith('/api/v1/auth/') &&
              !url.pathname.startsWith('/api/v1/exports/'),
            handler: 'NetworkFirst',
            options: {
              cacheName: 'huuco-api',
              networkTimeoutSeconds: 6,
              expiration: { maxEntries: 500, maxAgeSeconds: 30 * 24 * 3600 },
            },
          },
        ],
      },
    }),
  ],
  resolve: { conditions: ['development'] },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: { proxy: { '/api': 'http://localhost:3000' } },
});
