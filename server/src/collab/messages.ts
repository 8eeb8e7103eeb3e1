import { MessageType, SyncMessageType } from '@lever/shared'
import * as encoding from 'lib0/encoding'

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

export function syncStep1Message(stateVector: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, SyncMessageType.Step1)
    encoding.writeVarUint8Array(e, stateVector)
  })
}

export function syncStep2Message(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, SyncMessageType.Step2)
    encoding.writeVarUint8Array(e, update)
  })
}

export function updateMessage(update: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Sync)
    encoding.writeVarUint(e, SyncMessageType.Update)
    encoding.writeVarUint8Array(e, update)
  })
}

export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.Awareness)
    encoding.writeVarUint8Array(e, awarenessUpdate)
  })
}

export function saveAckMessage(count: number): Uint8Array {
  return frame((e) => {
    encoding.writeVarUint(e, MessageType.SaveAck)
    encoding.writeVarUint(e, count)
  })
}
