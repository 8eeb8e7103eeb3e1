import { RESOURCE_FILE_TYPES } from '@lever/shared'

/** Types browsers also declare for some of the allowed files (CSV from Windows, older JPEG). */
const DECLARED_ALIASES: Record<string, string> = {
  'application/csv': 'text/csv',
  'application/vnd.ms-excel': 'text/csv',
  'image/pjpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
}

const startsWith = (bytes: Uint8Array, magic: readonly number[]) =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b)

const ZIP = [0x50, 0x4b, 0x03, 0x04]

/** Whether a file's first bytes look like its type (Office files are ZIP archives). */
function contentFits(type: string, bytes: Uint8Array): boolean {
  switch (type) {
    case 'application/pdf':
      return startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d]) // %PDF-
    case 'image/png':
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    case 'image/jpeg':
      return startsWith(bytes, [0xff, 0xd8, 0xff])
    case 'text/csv':
    case 'text/plain':
      // Text: no NUL bytes (a binary file renamed .txt has them almost at once).
      return !bytes.subarray(0, 64 * 1024).includes(0)
    default:
      return startsWith(bytes, ZIP)
  }
}

export type UploadCheck = { ok: true; type: string; name: string } | { ok: false; reason: string }

/**
 * A file name safe to store and to send back: the last path part, no control characters or
 * quotes, at most 200 characters, keeping the extension.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).at(-1) ?? ''
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim()
  if (clean.length <= 200) return clean || 'file'
  const dot = clean.lastIndexOf('.')
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : ''
  return clean.slice(0, 200 - ext.length) + ext
}

/**
 * Checks an upload three ways: the declared type is one we take, the name's extension belongs
 * to that type, and the first bytes look like it. Returns the type it is stored and served with.
 */
export function checkUpload(name: string, declaredType: string, head: Uint8Array): UploadCheck {
  const declared = declaredType.split(';')[0]?.trim().toLowerCase() ?? ''
  const canonical = DECLARED_ALIASES[declared] ?? declared
  const fileName = safeFileName(name)
  const ext = fileName.includes('.') ? (fileName.split('.').at(-1)?.toLowerCase() ?? '') : ''
  const allowed = RESOURCE_FILE_TYPES.map((t) => t.extensions.join('/')).join(', ')
  const kind = RESOURCE_FILE_TYPES.find((t) => t.type === canonical)
  if (!kind)
    return { ok: false, reason: `Files of type “${declared || 'unknown'}” are not accepted. Upload ${allowed}.` }
  if (!(kind.extensions as readonly string[]).includes(ext)) {
    return {
      ok: false,
      reason: `A ${kind.label} file must end in .${kind.extensions.join(' or .')}; “${fileName}” does not.`,
    }
  }
  if (!contentFits(kind.type, head)) {
    return { ok: false, reason: `“${fileName}” is not really a ${kind.label} file.` }
  }
  return { ok: true, type: kind.type, name: fileName }
}

/** `Content-Disposition: attachment` with an ASCII fallback name and the real name (RFC 6266/5987). */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_') || 'file'
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`
}
