import { describe, expect, it } from 'vitest'
import { attachmentDisposition, checkUpload, safeFileName } from './uploads.ts'

const bytes = (...values: number[]) => new Uint8Array(values)
const text = (s: string) => new TextEncoder().encode(s)

describe('checking uploads', () => {
  it('takes each allowed type with its extension and first bytes, and stores the canonical type', () => {
    expect(checkUpload('a.pdf', 'application/pdf', text('%PDF-1.7'))).toEqual({
      ok: true,
      type: 'application/pdf',
      name: 'a.pdf',
    })
    const zip = bytes(0x50, 0x4b, 0x03, 0x04, 0)
    expect(
      checkUpload('a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', zip).ok,
    ).toBe(true)
    expect(checkUpload('a.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', zip).ok).toBe(
      true,
    )
    expect(
      checkUpload('a.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', zip).ok,
    ).toBe(true)
    expect(checkUpload('a.png', 'image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)).ok).toBe(true)
    expect(checkUpload('a.JPG', 'image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0)).ok).toBe(true)
    expect(checkUpload('a.csv', 'application/vnd.ms-excel', text('a,b'))).toMatchObject({ ok: true, type: 'text/csv' })
    expect(checkUpload('notes.txt', 'text/plain; charset=utf-8', text('hello'))).toMatchObject({ ok: true })
  })

  it('refuses other types, a wrong extension, and content that is not what it claims', () => {
    expect(checkUpload('a.html', 'text/html', text('<p>')).ok).toBe(false)
    expect(checkUpload('a.svg', 'image/svg+xml', text('<svg>')).ok).toBe(false)
    expect(checkUpload('a', 'application/pdf', text('%PDF-')).ok).toBe(false)
    expect(checkUpload('a.pdf.exe', 'application/pdf', text('%PDF-')).ok).toBe(false)
    expect(checkUpload('a.pdf', 'application/pdf', text('<html>')).ok).toBe(false)
    expect(
      checkUpload('a.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', text('MZ')).ok,
    ).toBe(false)
    expect(checkUpload('a.png', 'image/png', bytes(0xff, 0xd8, 0xff)).ok).toBe(false)
    expect(checkUpload('a.txt', 'text/plain', bytes(0x41, 0x00)).ok).toBe(false)
    expect(checkUpload('a.pdf', '', text('%PDF-')).ok).toBe(false)
  })

  it('keeps file names safe to store and to send back', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd')
    expect(safeFileName('C:\\Users\\me\\plan.pdf')).toBe('plan.pdf')
    expect(safeFileName('a"b\u0000\nc.pdf')).toBe('abc.pdf')
    expect(safeFileName('')).toBe('file')
    const long = safeFileName(`${'x'.repeat(300)}.pdf`)
    expect(long).toHaveLength(200)
    expect(long.endsWith('.pdf')).toBe(true)
    expect(attachmentDisposition('Plan “final”.pdf')).toBe(
      `attachment; filename="Plan _final_.pdf"; filename*=UTF-8''Plan%20%E2%80%9Cfinal%E2%80%9D.pdf`,
    )
  })
})
