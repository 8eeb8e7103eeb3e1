import { describe, expect, it } from 'vitest'
import { savedText } from './ConnectionStatus.tsx'
import { INITIAL_STATUS, type SessionStatus } from './DocSession.ts'

const status = (over: Partial<SessionStatus>): SessionStatus => ({ ...INITIAL_STATUS, ...over })

describe('savedText', () => {
  it('says "All changes saved" only when connected, synced and every change acknowledged', () => {
    expect(savedText(status({ connection: 'connected', synced: true, saved: true }))).toEqual({
      text: 'All changes saved',
      tone: 'good',
    })
    expect(savedText(status({ connection: 'connected', unsavedChanges: true })).text).toBe('Saving…')
    expect(savedText(status({ connection: 'connected' })).text).toBe('Syncing…')
  })

  it('is honest offline: changes kept in the tab (or the browser, which keeps a copy), or nothing unsaved', () => {
    expect(savedText(status({ connection: 'offline', unsavedChanges: true })).text).toBe(
      'Offline — changes kept in this tab',
    )
    expect(savedText(status({ connection: 'offline', unsavedChanges: true, keptLocally: true })).text).toBe(
      'Offline — changes kept in this browser',
    )
    expect(savedText(status({ connection: 'reconnecting' })).text).toBe('No unsaved changes')
  })

  it('says recent changes were not stored when the server closed the connection for good', () => {
    expect(savedText(status({ connection: 'closed', unsavedChanges: true })).tone).toBe('bad')
    expect(savedText(status({ connection: 'closed' })).text).toBe('Not connected')
  })

  it('says a field holding input that could not be written is not saved, even when everything else is', () => {
    const allSaved = status({ connection: 'connected', synced: true, saved: true })
    expect(savedText(allSaved, 1)).toEqual({ text: 'Not saved: 1 field needs fixing (marked in red)', tone: 'warn' })
    expect(savedText(allSaved, 2).text).toBe('Not saved: 2 fields need fixing (marked in red)')
    expect(savedText(status({ connection: 'offline', unsavedChanges: true }), 1).tone).toBe('warn')
    // A connection closed for good says so first.
    expect(savedText(status({ connection: 'closed', unsavedChanges: true }), 1).tone).toBe('bad')
  })
})
