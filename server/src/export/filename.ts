/** Characters no file system or header likes: control characters, path separators, quotes, reserved. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*]+/g

/** A readable file name: `<jurisdiction>-<plan title>-<date>.<ext>`, safe on every system. */
export function exportFileName(parts: string[], extension: string): string {
  const base = parts
    .map((p) => p.normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('-')
    .slice(0, 150)
    .replace(/[. ]+$/, '')
  return `${base || 'export'}.${extension}`
}

/** The plain-ASCII stand-in of a name, for clients that do not read `filename*`. */
export function asciiFileName(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-+|-(?=\.[^.]+$)/g, '') || 'export'
  )
}

/** `Content-Disposition: attachment` with an ASCII `filename` and RFC 5987 `filename*` (UTF-8). */
export function attachmentDisposition(name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${asciiFileName(name)}"; filename*=UTF-8''${encoded}`
}
