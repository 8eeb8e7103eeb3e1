import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

/**
 * Test files run side by side in this many processes. Most of them wait on sockets, child
 * processes and PostgreSQL more than they compute, so a machine of two cores runs three at once.
 */
const workers = Math.max(3, availableParallelism())

/**
 * One runner for the whole repository: unit tests beside the code (shared, server), the
 * real-server suite in tests/, and the browser suite (Playwright driving Debian's Chromium).
 *
 * Every project but the browser suite runs its files in parallel, `workers` at a time, all
 * projects together in one pool. The browser files run one at a time (one Chromium keeps a core
 * busy), after the others and on their own: Vitest runs groups (`sequence.groupOrder`) one after
 * another, and one pool runs a group with a single number of workers.
 */
export default defineConfig({
  test: {
    maxWorkers: workers,
    projects: [
      {
        test: {
          name: 'shared',
          root: './shared',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'client',
          root: './client',
          include: ['src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts'],
          globalSetup: ['./src/testing/sharedPostgres.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          root: './tests',
          include: ['integration/**/*.test.ts'],
          globalSetup: ['../server/src/testing/sharedPostgres.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          root: './tests',
          include: ['browser/**/*.test.ts'],
          globalSetup: ['./browser/globalSetup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // One file at a time in one process, after the rest of the suite (a group of its own):
          // the files share the modules they import (the server, Playwright) instead of each
          // importing them again. Each file starts and stops its own server and Chromium.
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'bench-smoke',
          root: './bench',
          include: ['src/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
