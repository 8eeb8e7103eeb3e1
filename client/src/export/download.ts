import type { ApiErrorBody } from '@lever/shared'
import { ApiRequestError } from '../api/http.ts'

/** The file name a `Content-Disposition` header gives: its UTF-8 `filename*`, else its `filename`. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1]
  if (extended) {
    try {
      return decodeURIComponent(extended)
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback
}

/**
 * Fetches an export from `/api<path>` and hands it to the browser as a download. Failures throw
 * ApiRequestError with the server's code and message (e.g. `pdf_unavailable`).
 */
export async function downloadExport(path: string, fallbackName: string, signal?: AbortSignal): Promise<string> {
  let res: Response
  try {
    res = await fetch(`/api${path}`, { credentials: 'same-origin', signal })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiRequestError(0, 'network', 'Lever’s server cannot be reached. Check your connection and try again.')
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null
    if (body?.error?.message) throw new ApiRequestError(res.status, body.error.code, body.error.message)
    throw new ApiRequestError(res.status, 'http', `The server answered ${res.status}. Try again in a moment.`)
  }
  const blob = await res.blob()
  const name = fileNameOf(res.headers.get('content-disposition'), fallbackName)
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.rel = 'noopener'
  document.body.append(link)
  link.click()
  link.remove()
  // Give the browser time to start the download before the blob goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
  return name
}
