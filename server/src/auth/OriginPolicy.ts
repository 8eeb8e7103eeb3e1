import os from 'node:os'

/**
 * Which browser origins may send cookie-authenticated changes and open WebSockets: the public
 * origin (`PUBLIC_URL`) and any extra ones (`PUBLIC_ORIGINS`). The `Host` header plays no part:
 * a client chooses it. Without `PUBLIC_URL`, the origins of the address the server listens on
 * are allowed (`localhost`, the loopback addresses, and each interface when it listens on all).
 */
export class OriginPolicy {
  private readonly allowed = new Set<string>()
  private fallback = 'http://localhost'

  constructor(
    private readonly publicUrl: string | undefined,
    extraOrigins: readonly string[],
  ) {
    for (const origin of extraOrigins) {
      const normalised = normalise(origin)
      if (normalised) this.allowed.add(normalised)
    }
    const own = publicUrl ? normalise(publicUrl) : null
    if (own) this.allowed.add(own)
  }

  /** Without a public URL: allows the origins of the address the server now listens on. */
  listeningOn(host: string, port: number): void {
    if (this.publicUrl) return
    const hosts = new Set(['localhost', '127.0.0.1', '[::1]'])
    if (host === '0.0.0.0' || host === '::') {
      for (const entries of Object.values(os.networkInterfaces())) {
        for (const entry of entries ?? []) hosts.add(entry.family === 'IPv6' ? `[${entry.address}]` : entry.address)
      }
    } else {
      hosts.add(host.includes(':') ? `[${host}]` : host)
    }
    for (const h of hosts) {
      const origin = normalise(`http://${h}:${port}`)
      if (origin) this.allowed.add(origin)
    }
    this.fallback = `http://${isAny(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`
  }

  /** Whether a request with this `Origin` header may act with the person's cookie. */
  allows(origin: string): boolean {
    const normalised = normalise(origin)
    return normalised !== null && this.allowed.has(normalised)
  }

  /** The origin links are made with (invites, the first-start link). */
  get publicOrigin(): string {
    return this.publicUrl ? (normalise(this.publicUrl) ?? this.fallback) : this.fallback
  }

  /** Whether people reach Lever over HTTPS (session cookies are then marked Secure). */
  get isHttps(): boolean {
    return this.publicOrigin.startsWith('https:')
  }
}

function normalise(origin: string): string | null {
  try {
    const url = new URL(origin)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
    return url.origin
  } catch {
    return null
  }
}

function isAny(host: string): boolean {
  return host === '0.0.0.0' || host === '::'
}
