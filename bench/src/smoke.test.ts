import { describe, expect, it } from 'vitest'
import { DEFAULT_WORKLOADS, SMOKE_CONFIG } from './config.ts'
import { renderMarkdown } from './report/markdown.ts'
import { runSuite } from './runSuite.ts'
import { installedVersions } from './servers/versions.ts'

/**
 * The benchmark end to end with tiny sizes, so it does not rot: every default workload against
 * every server, the server-limited ingest (its own clients) against every server, and the
 * cross-server workload (Lever on PostgreSQL and Redis) on its own. Timings
 * are not asserted (they never go in tests); only that each produced figures, that Lever kept
 * every edit another client had seen through a kill -9, and that edits crossed servers.
 */
describe('benchmark smoke run', () => {
  it('produces figures for every workload and server, and Lever loses no received edit to kill -9', async () => {
    const suite = await runSuite(SMOKE_CONFIG)

    expect(suite.workloads.map((w) => w.workload)).toEqual([...DEFAULT_WORKLOADS])
    for (const workload of suite.workloads) {
      for (const kind of SMOKE_CONFIG.servers) {
        const figures = Object.values(workload.values[kind] ?? {})
        expect(
          figures.filter((f) => Number.isFinite(f.median)).length,
          `${workload.workload} figures for ${kind}`,
        ).toBeGreaterThan(0)
      }
    }
    const session = suite.workloads.find((w) => w.workload === 'session')
    for (const kind of SMOKE_CONFIG.servers) {
      expect(session?.values[kind]?.[`p99@${SMOKE_CONFIG.sessionRates[0]}`]?.median, kind).toBeGreaterThan(0)
    }
    const crash = suite.workloads.find((w) => w.workload === 'crash')
    expect(crash?.values.lever?.received?.median).toBeGreaterThan(0)
    expect(crash?.values.lever?.missing?.median).toBe(0)

    const markdown = renderMarkdown(suite, installedVersions())
    expect(markdown).toMatch(/^\| figure +\| better +\| Lever +\|/m)
  })

  it('ramps the server-limited ingest against every server: raw clients deliver and figures come out', async () => {
    const suite = await runSuite({ ...SMOKE_CONFIG, workloads: ['ingestraw'] })

    const [ingest] = suite.workloads
    expect(ingest?.workload).toBe('ingestraw')
    for (const kind of SMOKE_CONFIG.servers) {
      const figures = ingest?.values[kind] ?? {}
      // The one tiny step passed: the writers' pre-built updates reached the observers.
      expect(figures.maxRate?.median, `${kind} accepted rate`).toBeGreaterThan(0)
      for (const id of ['p99AtMax', 'serverCpuAtMax', 'clientCpuAtMax']) {
        expect(Number.isFinite(figures[id]?.median), `${kind} ${id}`).toBe(true)
      }
    }

    const markdown = renderMarkdown(suite, installedVersions())
    expect(markdown).toContain('## Ingest, server-limited')
  }, 240_000)

  it('measures cross-server propagation between two Lever servers next to one server', async () => {
    const suite = await runSuite({ ...SMOKE_CONFIG, servers: ['lever'], workloads: ['crossserver'] })

    const [cross] = suite.workloads
    expect(cross?.workload).toBe('crossserver')
    const lever = cross?.values.lever ?? {}
    for (const id of ['singleP50', 'singleP99', 'crossP50', 'crossP99', 'crossFirstCpu', 'crossSecondCpu']) {
      expect(lever[id]?.median, id).toBeGreaterThan(0)
    }
    // Edits from one server's editors reached the other server's editors.
    expect(lever.crossDelivered?.median).toBeGreaterThan(0)

    const markdown = renderMarkdown(suite, installedVersions())
    expect(markdown).toContain('## Several servers: cross-server propagation')
  }, 240_000)
})
