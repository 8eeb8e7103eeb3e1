import { CloseCode } from '@lever/shared'

/** What the page says when the server runs a newer version of Lever than this page. */
export const RELOAD_REQUIRED_MESSAGE = 'Lever has been updated — reload to continue.'

/** What the page says when the document is at its size limit and the last change would add to it. */
export const DOCUMENT_TOO_LARGE_MESSAGE =
  'This document has reached its size limit, so your last change was not saved. Copy what you need from this page, reload it, and remove content that is no longer needed (very large pasted text is the usual cause) before adding more.'

/** What the page says when one change was too large for the server to apply at once. */
export const CHANGE_TOO_LARGE_MESSAGE =
  'Your last change was too large to save in one piece, so it was not saved. Copy what you need from this page, reload it, and make the change in smaller parts.'

/** What to tell a person when the server closed the plan's connection for good. */
export function planCloseMessage(code: number): string {
  switch (code) {
    case CloseCode.DocumentNotFound:
      return 'This plan does not exist. It may have been deleted, or the link is wrong.'
    case CloseCode.Forbidden:
      return 'You no longer have access to this plan: its team stopped sharing it, or your role changed. Ask its team or a facilitator for access.'
    case CloseCode.Unauthenticated:
      return 'You were signed out: your session ended, or your account was deactivated. Changes made now are not saved. Sign in again to continue.'
    case CloseCode.WriteNotAllowed:
      return 'You can read this plan but not change it. Reload the page to see the latest version.'
    case CloseCode.OriginNotAllowed:
      return 'This page is not allowed to open plans. Open Lever from its usual address.'
    case CloseCode.RateLimited:
      return 'Too many changes arrived too quickly. Reload the page to continue.'
    case CloseCode.ReloadRequired:
      return RELOAD_REQUIRED_MESSAGE
    case CloseCode.DocumentTooLarge:
      return DOCUMENT_TOO_LARGE_MESSAGE
    case CloseCode.ChangeTooLarge:
      return CHANGE_TOO_LARGE_MESSAGE
    case CloseCode.ClientIdTaken:
      return 'This page’s changes were refused because they used an id that belongs to someone else. Reload the page to continue.'
    default:
      return 'The server stopped this connection because of a problem with this page. Reload the page to continue.'
  }
}

/** What to tell a person when the server closed a session room's or a breakout draft's connection for good. */
export function roomCloseMessage(code: number): string {
  switch (code) {
    case CloseCode.DocumentNotFound:
      return 'This session room does not exist any more, or the link is wrong.'
    case CloseCode.Forbidden:
      return 'You do not have access to this room.'
    case CloseCode.Unauthenticated:
      return 'Your sign-in has ended. Sign in again to continue.'
    case CloseCode.WriteNotAllowed:
      return 'You can read this room but not change it any more. Reload the page to see the latest version.'
    case CloseCode.ReloadRequired:
      return RELOAD_REQUIRED_MESSAGE
    case CloseCode.DocumentTooLarge:
      return DOCUMENT_TOO_LARGE_MESSAGE
    case CloseCode.ChangeTooLarge:
      return CHANGE_TOO_LARGE_MESSAGE
    default:
      return 'The server stopped this connection because of a problem with this page. Reload the page to continue.'
  }
}
