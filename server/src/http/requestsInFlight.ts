import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/**
 * The HTTP requests a server is answering right now, so that closing can wait for them: a
 * request that was accepted gets its real answer before the database closes under it. Kept per
 * process on purpose: each server waits only for the requests it is itself answering.
 */
export class RequestsInFlight {
  private readonly responses = new Set<ServerResponse>()
  private closing = false
  private readonly idleWaiters = new Set<() => void>()

  /** Counts every request `server` receives from now on. */
  attach(server: Server): void {
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => this.started(response))
  }

  /** How many requests are being answered now. */
  get size(): number {
    return this.responses.size
  }

  /**
   * Resolves with true once no request is left, or with false after `timeoutMs` if some still
   * are. From the first call on, every answer not yet begun asks the client to close its
   * connection, so keep-alive connections bring no new requests while the server closes.
   */
  finished(timeoutMs: number): Promise<boolean> {
    this.closing = true
    for (const response of this.responses) closeAfter(response)
    if (this.responses.size === 0) return Promise.resolve(true)
    return new Promise((resolve) => {
      const done = (idle: boolean) => {
        clearTimeout(timer)
        this.idleWaiters.delete(onIdle)
        resolve(idle)
      }
      const onIdle = () => done(true)
      const timer = setTimeout(() => done(false), timeoutMs)
      this.idleWaiters.add(onIdle)
    })
  }

  private started(response: ServerResponse): void {
    this.responses.add(response)
    if (this.closing) closeAfter(response)
    response.once('close', () => {
      this.responses.delete(response)
      if (this.responses.size === 0) for (const wake of [...this.idleWaiters]) wake()
    })
  }
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close')
}
