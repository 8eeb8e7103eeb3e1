import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { LeverServer } from '@lever/server'
import { PlanModel, type PlanSummary } from '@lever/shared'
import mammoth from 'mammoth'
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { ARTIFACTS_DIR } from '../support/browser.ts'
import { getExport, pdfOutline, pdfText, poppler, tempFile } from '../support/exports.ts'
import { INTERNATIONAL, writeLargePlan } from '../support/planFixtures.ts'
import { createPlan, signIn, startServer } from '../support/server.ts'

const today = new Date().toISOString().slice(0, 10)
const unzip = (file: string, entry: string) =>
  execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8', maxBuffer: 1 << 26 })

/**
 * Starts a server for the suite around the call, with one Boulder plan titled `title` whose
 * document `write` fills, and returns how to export it as the facilitator.
 */
function exportedPlan(title: string, write: (doc: Y.Doc) => void): (format: string) => ReturnType<typeof getExport> {
  let server: LeverServer
  let token = ''
  let plan: PlanSummary
  beforeAll(async () => {
    server = await startServer()
    token = await signIn(server)
    plan = await createPlan(server, { token, jurisdictionId: 'boulder-co', title })
    await server.rooms.withRoom(plan.docName, (room) => room.transactServer((doc) => write(doc)))
  })
  afterAll(async () => {
    await server?.close()
  })
  return (format) => getExport(server, `/plans/${plan.id}/export?format=${format}`, token)
}

/** Every format of one large plan (international text, a 2,000-word section, 60 initiatives, an empty lever), read back. */
describe('exporting a large plan', () => {
  const exportAs = exportedPlan('Draft', writeLargePlan)

  it('names the file <jurisdiction>-<plan title>-<date> with an RFC 5987 UTF-8 name beside the ASCII one', async () => {
    const res = await exportAs('md')
    expect(res.status).toBe(200)
    const disposition = res.headers.get('content-disposition') ?? ''
    expect(disposition).toMatch(
      new RegExp(
        `^attachment; filename="City-of-Boulder-Good-jobs-plan-Senora-Nunez-s-cafe-[A-Za-z0-9._-]*-${today}\\.md"; filename\\*=UTF-8''`,
      ),
    )
    const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)?.[1] ?? ''
    expect(decodeURIComponent(encoded)).toBe(`City of Boulder-Good jobs plan ${INTERNATIONAL}-${today}.md`)
  })

  it('writes Markdown of the whole plan: headings, prose with lists, every initiative, amounts and dates', async () => {
    const res = await exportAs('md')
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8')
    const md = res.text()
    expect(md.startsWith(`# Good jobs plan ${INTERNATIONAL}`)).toBe(true)
    expect(md).toContain('## Executive summary')
    expect(md).toContain('### Problem and baseline')
    expect(md).toContain('#### Where we stand')
    expect(md).toContain('**Bold claim**')
    expect(md).toContain('- First bullet\n- Second bullet')
    expect(md).toContain('1. Step one\n2. Step two\n3. Step three')
    expect(md).toContain('finalword')
    expect(md).toContain('### Empowerment')
    expect(md).toContain('_No initiatives under this lever yet._')
    expect(md.match(/^#### \d+\. /gm)).toHaveLength(60)
    expect(md).toContain('#### 60. Initiative 60 apprenticeships')
    expect(md).toContain('$100,000.00')
    expect(md).toContain('June 30, 2026')
    expect(md).toContain('Équité pour tous')
  })

  it('writes CSV of the initiatives per RFC 4180 with a BOM, and neutralises cells that would run as formulas', async () => {
    const res = await exportAs('csv')
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const csv = res.text().slice(1)
    expect(csv.endsWith('\r\n')).toBe(true)
    const lines = csv.split('\r\n').filter(Boolean)
    expect(lines).toHaveLength(61)
    expect(lines[0]).toBe(
      'No.,Lever,Initiative,Status,Owner,Partners,Start,Due,Components,Evidence tier,Budgeted,Obligated,Spent,Obligated by,Spent by,Metrics,Milestones done,Milestones,Risks',
    )
    expect(lines[1]).toBe(
      `1,Procurement,"'=HYPERLINK(""http://evil.test"",""click"")",Not started,'+cmd|calc,'@SUM(A1:A2),2023-01-15,2026-06-30,Wages,Strong evidence,100000,50000,25000.25,,,1,1,1,Risk 1: staffing`,
    )
    // A text cell starting with "-" is neutralised too; numbers are left as numbers.
    expect(lines[2]).toContain(`,"'-2 staff, community college",`)
  })

  it('writes a workbook with the five sheets, typed numbers and dates, frozen headers and column widths', async () => {
    const res = await exportAs('xlsx')
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const sheets = await readXlsxFile(res.bytes)
    expect(sheets.map((s) => s.sheet)).toEqual(['Initiatives', 'Milestones', 'Funding', 'Metrics', 'Evidence'])
    const initiatives = sheets[0]?.data ?? []
    expect(initiatives).toHaveLength(61)
    expect(initiatives[0]?.[2]).toBe('Initiative')
    const first = initiatives[1] ?? []
    expect(first[0]).toBe(1)
    expect(first[2]).toBe('\'=HYPERLINK("http://evil.test","click")')
    expect(first[4]).toBe("'+cmd|calc")
    expect(first[6]).toEqual(new Date('2023-01-15T00:00:00Z'))
    expect(first[10]).toBe(100000)
    expect(first[12]).toBe(25000.25)
    expect(initiatives[60]?.[10]).toBe(100000 + 59 * 1000.5)
    const funding = sheets[2]?.data ?? []
    expect(funding[0]).toEqual([
      'Initiative',
      'Source',
      'Program',
      'SLFRF category',
      'Budgeted',
      'Obligated',
      'Obligated by',
      'Spent',
      'Spent by',
    ])
    expect(funding[1]?.[3]).toMatch(/^2\.10 Assistance to Unemployed or Underemployed Workers/)
    expect(typeof funding[1]?.[4]).toBe('number')
    const milestones = sheets[1]?.data ?? []
    expect(milestones[1]).toEqual([
      '\'=HYPERLINK("http://evil.test","click")',
      'Milestone of 1',
      new Date('2025-09-30T00:00:00Z'),
      true,
    ])
    expect(sheets[3]?.data[1]?.[4]).toBe("'-5% turnover")
    expect(sheets[4]?.data[1]?.[2]).toBe('Clearinghouse entry 1')

    const file = tempFile(res.bytes, 'plan.xlsx')
    for (let n = 1; n <= 5; n++) {
      const xml = unzip(file, `xl/worksheets/sheet${n}.xml`)
      expect(xml).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/)
      expect(xml).toMatch(/<col min="1" max="1" width="\d+" customWidth="1"\/>/)
      // Text never becomes a formula.
      expect(xml).not.toContain('<f>')
    }
  })

  it('writes a Word document with real headings, lists and tables with explicit widths', async () => {
    const res = await exportAs('docx')
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    )
    const { value: html } = await mammoth.convertToHtml({ buffer: res.bytes })
    expect(html).toContain('<h1>Executive summary</h1>')
    expect(html).toContain('<h1>Strategy</h1>')
    expect(html).toContain('<h2>Problem and baseline</h2>')
    expect(html).toContain('<h3>Where we stand</h3>')
    expect(html).toContain('<h3>=HYPERLINK("http://evil.test","click")</h3>')
    expect(html).toContain('<h3>Initiative 60 apprenticeships</h3>')
    expect(html.match(/<h3>Initiative \d+ /g)).toHaveLength(59)
    expect(html).toContain('<ul><li>First bullet</li><li>Second bullet</li></ul>')
    expect(html).toContain('<ol><li>Step one</li><li>Step two</li><li>Step three</li></ol>')
    expect(html).toContain('<strong>Bold claim</strong>')
    expect(html).toContain('finalword')
    expect(html).toContain('No initiatives under this lever yet.')
    expect(html).toContain('$7,770,885.00')
    expect(html).toContain('June 30, 2026')
    expect(html).toContain('公平な仕事')
    const xml = unzip(tempFile(res.bytes, 'plan.docx'), 'word/document.xml')
    expect(xml).toMatch(/<w:tblGrid><w:gridCol w:w="\d+"\/>/)
    expect(xml).toMatch(/<w:tcW w:type="dxa" w:w="\d+"\/>|<w:tcW w:w="\d+" w:type="dxa"\/>/)
    expect(xml).toMatch(/<w:tblW w:type="dxa" w:w="9360"\/>|<w:tblW w:w="9360" w:type="dxa"\/>/)
  })

  it('prints a tagged PDF briefing book with bookmarks, page numbers and the version in the footer', {
    timeout: 240_000,
  }, async () => {
    const res = await exportAs('pdf')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const file = tempFile(res.bytes, 'plan.pdf')
    const info = poppler('pdfinfo', [file])
    expect(info).toMatch(/Tagged:\s+yes/)
    expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/)
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1])
    // Cover, contents, summary, strategy with 2,000 words, equity, and one page per initiative.
    expect(pages).toBeGreaterThan(65)

    const text = pdfText(file)
    expect(text).toContain('City of Boulder')
    expect(text).toContain('Job-quality action plan')
    expect(text).toContain('公平な仕事')
    expect(text).toContain('Señora Núñez')
    expect(text).toContain('Executive summary')
    expect(text).toContain('$7,770,885.00')
    expect(text).toContain('December 31, 2024')
    expect(text).toContain('finalword')
    expect(text).toContain('Initiative 60 apprenticeships')
    expect(text).toContain('No initiatives under this lever yet.')
    expect(text).toContain(`Page 1 of ${pages}`)
    expect(text).toContain(`Page ${pages} of ${pages}`)
    expect(text).toContain('Current plan')

    const outline = pdfOutline(file)
    for (const heading of [
      'Contents',
      'Executive summary',
      'Strategy',
      'Problem and baseline',
      'Equity',
      'Initiatives',
      'Empowerment',
      'Initiative 60 apprenticeships',
    ]) {
      expect(outline).toContain(heading)
    }

    // The first pages, kept for people to look at.
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
    poppler('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '4',
      file,
      path.join(ARTIFACTS_DIR, 'export-briefing-book'),
    ])
    expect(fs.existsSync(path.join(ARTIFACTS_DIR, 'export-briefing-book-001.png'))).toBe(true)
  })
})

/** The text of each cell of every table row (`<tr>`) of `html`. */
function tableRows(html: string): string[][] {
  return (html.match(/<tr>.*?<\/tr>/gs) ?? []).map((row) =>
    [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim()),
  )
}

/** The text of each cell of the first table row of `html` that contains `text`. */
function rowCells(html: string, text: string): string[] {
  return tableRows(html).find((cells) => cells.some((cell) => cell.includes(text))) ?? []
}

/**
 * A plan whose funding lines are not SLFRF (so no SLFRF warning repeats their dates): one line
 * with both dates and a cleared (not reported) obligated amount, one with neither date, and in a
 * second initiative a reported zero beside cleared amounts.
 */
describe("exporting funding lines' dates and unreported amounts", () => {
  const exportAs = exportedPlan('Funding dates', (doc) => {
    const model = new PlanModel(doc)
    const first = model.addInitiative('procurement', { title: 'Apprentice pipeline' })
    const dated = first.funding.add('dated')
    dated.setSource('local')
    dated.program?.insert(0, 'Apprenticeship grant')
    dated.setAmount('budgeted', 80000)
    dated.setAmount('obligated', 40000)
    dated.setAmount('obligated', null)
    dated.setAmount('spent', 12000.5)
    dated.setDate('obligatedBy', '2025-03-17')
    dated.setDate('spentBy', '2026-08-21')
    const undated = first.funding.add('undated')
    undated.setSource('iija')
    undated.program?.insert(0, 'Bridge crew training')
    undated.setAmount('budgeted', 5000)
    const second = model.addInitiative('procurement', { title: 'Zero budget pilot' })
    const zero = second.funding.add('zero')
    zero.setSource('other')
    zero.setAmount('budgeted', 0)
  })

  it("shows each line's dates in the Markdown funding table, with empty cells for a missing date or amount", async () => {
    const md = (await exportAs('md')).text()
    expect(md).toContain(
      '| Source | Program or category | Budgeted | Obligated | Obligated by | Spent | Spent by |\n| --- | --- | --- | --- | --- | --- | --- |',
    )
    expect(md).toContain(
      '| Local or state funds | Apprenticeship grant | $80,000.00 |  | March 17, 2025 | $12,000.50 | August 21, 2026 |',
    )
    expect(md).toContain(
      '| Infrastructure Investment and Jobs Act (IIJA) | Bridge crew training | $5,000.00 |  |  |  |  |',
    )
  })

  it('totals each funding table in the Markdown, leaving an amount no line reports empty rather than $0.00', async () => {
    const md = (await exportAs('md')).text()
    const totals = md.split('\n').filter((l) => l.startsWith('| Total |'))
    expect(totals).toEqual([
      // Obligated is on neither line of the first initiative.
      '| Total |  | $85,000.00 |  |  | $12,000.50 |  |',
      // A reported zero is a zero.
      '| Total |  | $0.00 |  |  |  |  |',
    ])
  })

  it('writes the dates as ISO dates in the CSV, and an amount no line reports as an empty cell, not 0', async () => {
    const lines = (await exportAs('csv')).text().slice(1).split('\r\n').filter(Boolean)
    expect(lines[0]).toContain(',Budgeted,Obligated,Spent,Obligated by,Spent by,')
    expect(lines[1]).toBe(
      '1,Procurement,Apprentice pipeline,Not started,,,,,,,85000,,12000.5,2025-03-17,2026-08-21,0,0,0,',
    )
    // A reported zero stays 0; amounts no line reports, and dates no line has, are empty.
    expect(lines[2]).toBe('2,Procurement,Zero budget pilot,Not started,,,,,,,0,,,,,0,0,0,')
  })

  it('writes the dates as date cells in the workbook, and leaves unreported amounts empty', async () => {
    const sheets = await readXlsxFile((await exportAs('xlsx')).bytes)
    const funding = sheets.find((s) => s.sheet === 'Funding')?.data ?? []
    expect(funding[1]?.slice(0, 3)).toEqual(['Apprentice pipeline', 'Local or state funds', 'Apprenticeship grant'])
    expect(funding[1]?.slice(4)).toEqual([
      80000,
      null,
      new Date('2025-03-17T00:00:00Z'),
      12000.5,
      new Date('2026-08-21T00:00:00Z'),
    ])
    expect(funding[2]?.slice(4)).toEqual([5000, null, null, null, null])
    const initiatives = sheets.find((s) => s.sheet === 'Initiatives')?.data ?? []
    expect(initiatives[0]?.slice(10, 15)).toEqual(['Budgeted', 'Obligated', 'Spent', 'Obligated by', 'Spent by'])
    expect(initiatives[1]?.slice(10, 15)).toEqual([
      85000,
      null,
      12000.5,
      new Date('2025-03-17T00:00:00Z'),
      new Date('2026-08-21T00:00:00Z'),
    ])
    expect(initiatives[2]?.slice(10, 15)).toEqual([0, null, null, null, null])
  })

  it("shows each line's dates in the Word funding table", async () => {
    const { value: html } = await mammoth.convertToHtml({ buffer: (await exportAs('docx')).bytes })
    expect(rowCells(html, 'Program or category')).toEqual([
      'Source',
      'Program or category',
      'Budgeted',
      'Obligated',
      'Obligated by',
      'Spent',
      'Spent by',
    ])
    expect(rowCells(html, 'Apprenticeship grant')).toEqual([
      'Local or state funds',
      'Apprenticeship grant',
      '$80,000.00',
      '',
      'March 17, 2025',
      '$12,000.50',
      'August 21, 2026',
    ])
    expect(rowCells(html, 'Bridge crew training')).toEqual([
      'Infrastructure Investment and Jobs Act (IIJA)',
      'Bridge crew training',
      '$5,000.00',
      '',
      '',
      '',
      '',
    ])
    const totals = tableRows(html).filter((cells) => cells[0] === 'Total' && cells.length === 7)
    expect(totals).toEqual([
      ['Total', '', '$85,000.00', '', '', '$12,000.50', ''],
      ['Total', '', '$0.00', '', '', '', ''],
    ])
  })

  it("shows each line's dates in the PDF briefing book", { timeout: 180_000 }, async () => {
    const res = await exportAs('pdf')
    expect(res.status).toBe(200)
    const text = pdfText(tempFile(res.bytes, 'funding.pdf'))
    expect(text).toContain('Obligated by')
    expect(text).toContain('Spent by')
    // A date may wrap at its last space, and pdftotext reads the next cell's line in between.
    expect(text).toContain('March 17,')
    expect(text).toContain('August 21,')
    // Seven columns, and still no word broken in the middle.
    expect(text).toMatch(/\bApprenticeship\b/)
    expect(text).toMatch(/\bInfrastructure\b/)
  })
})
