/**
 * Same-origin checks for cookie-authenticated requests and WebSocket upgrades. An origin is
 * allowed when its host is the host the request was sent to, or when it is listed in
 * PUBLIC_ORIGINS (for a proxy that rewrites the Host header).
 */
export function isAllowedOrigin(origin: string, host: string | undefined, extraOrigins: readonly string[]): boolean {
  if (extraOrigins.includes(origin)) return true
  try {
    return host !== undefined && new URL(origin).host === host
  } catch {
    return false
  }
}
