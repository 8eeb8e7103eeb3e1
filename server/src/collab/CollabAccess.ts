import type { IncomingMessage } from 'node:http'
import { CloseCode, SESSION_COOKIE } from '@lever/shared'
import { parse as parseCookies } from 'hono/utils/cookie'
import type { AuthService } from '../auth/AuthService.ts'
import type { OriginPolicy } from '../auth/OriginPolicy.ts'
import type { Logger } from '../logger.ts'
import type { DocumentTypes } from './documentTypes.ts'
import type { RoomManager } from './RoomManager.ts'
import type { AuthorizeConnection, ConnectionGrant } from './wsTransport.ts'

/** Whose open connections to re-check: one person's, one document's, both, or (neither) everyone's. */
export interface RecheckScope {
  userId?: string
  docName?: string
}

export interface CollabAccessOptions {
  auth: AuthService
  documents: DocumentTypes
  rooms: RoomManager
  logger: Logger
  origins: OriginPolicy
}

/**
 * Who may open which document, and how: checked when a connection opens (every reconnect too)
 * and again for open connections whenever someone's access may have changed.
 */
export class CollabAccess {
  constructor(private readonly options: CollabAccessOptions) {}

  readonly authorize: AuthorizeConnection = async (request, docName) => {
    const origin = request.headers.origin
    if (origin !== undefined && !this.options.origins.allows(origin)) {
      return { ok: false, code: CloseCode.OriginNotAllowed, reason: 'origin not allowed' }
    }
    const current = await this.options.auth.authenticate(tokenOf(request))
    if (!current) return { ok: false, code: CloseCode.Unauthenticated, reason: 'sign in to continue' }
    return this.grantFor(current.user.id, current.session.tokenHash, docName)
  }

  /**
   * Re-checks the open connections (of one person, or everyone): a connection that lost access is
   * closed with Forbidden (or Unauthenticated when its session ended); one whose mode changed is
   * closed with RoomClosing, so its client reconnects and gets the new mode; one whose person was
   * renamed with IdentityChanged, so its client takes the new name before it reconnects.
   */
  async recheck(scope: RecheckScope = {}): Promise<void> {
    for (const room of this.options.rooms.all()) {
      if (scope.docName !== undefined && room.name !== scope.docName) continue
      for (const conn of room.connectionList()) {
        const identity = conn.options.identity
        if (scope.userId !== undefined && identity.userId !== scope.userId) continue
        if (!identity.userId || !identity.sessionHash) continue
        if (!(await this.options.auth.sessions.isLive(identity.sessionHash))) {
          room.closeConnection(conn, CloseCode.Unauthenticated, 'session ended')
          continue
        }
        const grant = await this.grantFor(identity.userId, identity.sessionHash, room.name)
        // The room may have closed, or the connection gone, while the rows were read.
        if (room.isClosed) break
        if (!grant.ok) room.closeConnection(conn, grant.code, grant.reason)
        else if (grant.identity.name !== identity.name) {
          room.closeConnection(conn, CloseCode.IdentityChanged, 'your name changed')
        } else if (grant.mode !== conn.mode || grant.identity.moderator !== identity.moderator) {
          room.closeConnection(conn, CloseCode.RoomClosing, 'your access changed')
        }
      }
    }
  }

  private async grantFor(userId: string, sessionHash: string, docName: string): Promise<ConnectionGrant> {
    const record = await this.options.auth.users.get(userId)
    if (!record?.active) return { ok: false, code: CloseCode.Unauthenticated, reason: 'account is not active' }
    const resolved = await this.options.documents.resolve(docName)
    if (!resolved) return { ok: false, code: CloseCode.DocumentNotFound, reason: 'no such document' }
    const mode = await resolved.type.access(record, resolved.id)
    if (!mode) return { ok: false, code: CloseCode.Forbidden, reason: 'you do not have access to this document' }
    return {
      ok: true,
      mode,
      identity: { userId, name: record.name, moderator: record.role === 'facilitator', sessionHash },
    }
  }
}

/**
 * The session token of an upgrade, as on the HTTP API: `Authorization: Bearer` (programs), then
 * `?token=` (programs whose WebSocket cannot set headers; a token in a URL may reach a proxy's
 * logs, so prefer the header), then the session cookie (browsers).
 */
function tokenOf(request: IncomingMessage): string | null {
  const authorization = request.headers.authorization
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim()
  const url = new URL(request.url ?? '/', 'http://localhost')
  const fromQuery = url.searchParams.get('token')
  if (fromQuery) return fromQuery
  const header = request.headers.cookie
  return header ? (parseCookies(header, SESSION_COOKIE)[SESSION_COOKIE] ?? null) : null
}
