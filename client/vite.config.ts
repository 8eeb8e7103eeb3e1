import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const api = process.env.LEVER_API ?? 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    // The Host header is kept (changeOrigin: false), so the server's same-origin check of
    // cookie-authenticated requests and WebSocket upgrades sees the page's own origin.
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/collab': { target: api.replace(/^http/, 'ws'), ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    rolldownOptions: {
      output: {
        // React (rarely changes) apart from the app, so a new release does not re-download it.
        codeSplitting: {
          groups: [{ name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ }],
        },
      },
    },
  },
})
