import { hocuspocusMemoryDriver, hocuspocusSqliteDriver } from './hocuspocus.ts'
import { leverBaselineDriver, leverDriver } from './lever.ts'
import type { ServerDriver, ServerKind } from './types.ts'
import { yWebsocketDriver } from './yWebsocket.ts'

/** How to start each server the benchmark compares. */
export const DRIVERS: Record<ServerKind, ServerDriver> = {
  lever: leverDriver,
  'y-websocket': yWebsocketDriver,
  hocuspocus: hocuspocusMemoryDriver,
  'hocuspocus-sqlite': hocuspocusSqliteDriver,
  'lever-baseline': leverBaselineDriver,
}
