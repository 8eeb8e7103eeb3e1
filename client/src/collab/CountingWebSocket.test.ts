import { MessageType, SyncMessageType } from '@lever/shared'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import { isDocumentMessage } from './CountingWebSocket.ts'

function frame(...numbers: number[]): Uint8Array {
  const e = encoding.createEncoder()
  for (const n of numbers) encoding.writeVarUint(e, n)
  return encoding.toUint8Array(e)
}

describe('isDocumentMessage', () => {
  it('counts sync step 2 and sync updates, which change the document', () => {
    expect(isDocumentMessage(frame(MessageType.Sync, SyncMessageType.Step2, 0))).toBe(true)
    expect(isDocumentMessage(frame(MessageType.Sync, SyncMessageType.Update, 0).buffer)).toBe(true)
  })

  it('does not count sync step 1, awareness, garbage or text', () => {
    expect(isDocumentMessage(frame(MessageType.Sync, SyncMessageType.Step1, 0))).toBe(false)
    expect(isDocumentMessage(frame(MessageType.Awareness, 0))).toBe(false)
    expect(isDocumentMessage(new Uint8Array([0xff]))).toBe(false)
    expect(isDocumentMessage('hello')).toBe(false)
  })
})
