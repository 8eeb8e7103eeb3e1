import { CloseCode, MessageType, SyncMessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { ProtocolError } from './ProtocolError.ts'

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

// ---- reading frames (every failure is a ProtocolError with MalformedMessage) ----

export function readVarUint(decoder: decoding.Decoder): number {
  try {
    return decoding.readVarUint(decoder)
  } catch {
    throw new ProtocolError(CloseCode.MalformedMessage, 'truncated message')
  }
}

export function readVarUint8Array(decoder: decoding.Decoder): Uint8Array {
  const length = readVarUint(decoder)
  // lib0 does not check the length against the frame; a lying length must not read past it.
  if (length > decoder.arr.length - decoder.pos) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'truncated message')
  }
  return decoding.readUint8Array(decoder, length)
}

export function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'unexpected bytes after the message')
  }
}
