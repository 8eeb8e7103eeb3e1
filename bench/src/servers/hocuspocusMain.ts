/**
 * Entry point of the Hocuspocus server process: `@hocuspocus/server` 4.x with its defaults,
 * documents in memory, or with `@hocuspocus/extension-sqlite` when HOCUSPOCUS_DATABASE names a
 * file. It prints one JSON line with its URL once it listens; SIGTERM stops it the way
 * Hocuspocus does by itself (pending stores flushed, then exit).
 */
import { SQLite } from '@hocuspocus/extension-sqlite'
import { Server } from '@hocuspocus/server'

const database = process.env.HOCUSPOCUS_DATABASE

const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  extensions: database ? [new SQLite({ database })] : [],
})

await server.listen()
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: `ws://127.0.0.1:${server.address.port}` })}\n`)
