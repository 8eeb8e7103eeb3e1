import { configFromEnv } from './config.ts'
import { createServer } from './createServer.ts'
import { createLogger, flushLogger } from './logger.ts'

/** Starts Lever from environment variables and stops it cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = configFromEnv()
  const logger = createLogger(config.logLevel)
  // The first plan opened after a start or a deploy loads as fast as later ones.
  const server = await createServer({ ...config, logger, warmUp: true })
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal, drainMs: signal === 'SIGTERM' ? config.shutdownDrainMs : 0 }, 'stopping')
    // Behind a load balancer, SIGTERM first answers "not ready" for a while so traffic moves away.
    server.drain()
    const drained = new Promise<void>((resolve) =>
      setTimeout(resolve, signal === 'SIGTERM' ? config.shutdownDrainMs : 0),
    )
    drained
      .then(() => server.close())
      .then(
        () => flushLogger(logger).finally(() => process.exit(0)),
        (error) => {
          logger.error({ err: error }, 'stopping failed')
          void flushLogger(logger).finally(() => process.exit(1))
        },
      )
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
