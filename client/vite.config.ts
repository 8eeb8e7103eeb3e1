import { readdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy of every text asset of the build, so the server
 * sends the smallest one the browser accepts without compressing on each request.
 */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'lever-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    async closeBundle() {
      const files = await readdir(outDir, { recursive: true })
      await Promise.all(
        files
          .filter((f) => /\.(js|css|html|svg|json|txt)$/.test(f))
          .map(async (f) => {
            const file = path.join(outDir, f)
            const body = await readFile(file)
            if (body.length < 1024) return
            const [br, gz] = await Promise.all([
              brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
              gzipAsync(body, { level: 9 }),
            ])
            await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)])
          }),
      )
    },
  }
}

const api = process.env.LEVER_API ?? 'http://127.0.0.1:8787'

export default defineConfig({
  plugins: [react(), precompress()],
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
