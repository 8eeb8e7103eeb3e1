import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/**
 * The address a request comes from. With `trustProxy` 0 (the default) it is the socket's peer,
 * and X-Forwarded-For is ignored: anyone can send that header. Behind `trustProxy` proxies that
 * each append the address they received from, it is the `trustProxy`-th entry from the right of
 * X-Forwarded-For (the address the outermost trusted proxy saw).
 */
export function clientAddress(c: Context, trustProxy: number): string {
  const socket = getConnInfo(c).remote.address ?? 'unknown'
  if (trustProxy <= 0) return socket
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
  const chain = [...forwarded, socket]
  const address = chain[Math.max(0, chain.length - 1 - trustProxy)] ?? socket
  return address.slice(0, 64)
}
