/**
 * Stable error codes of the HTTP API. Every error response is
 * `{ "error": { "code": <one of these>, "message": <for people> , "details"?: ... } }`.
 */
export const ErrorCode = {
  BadRequest: 'bad_request',
  ValidationFailed: 'validation_failed',
  Unauthenticated: 'unauthenticated',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
  Conflict: 'conflict',
  /** Idea cards were already sent into that plan: ask whether to update those initiatives or add new ones. */
  AlreadySent: 'already_sent',
  /** The session is over (or its time has passed): it is read-only. */
  SessionPast: 'session_past',
  PayloadTooLarge: 'payload_too_large',
  RateLimited: 'rate_limited',
  /** A request body that is not `application/json` (415). */
  UnsupportedMediaType: 'unsupported_media_type',
  /** The server's disk or database is full: nothing was changed; an operator must free space (507). */
  StorageFull: 'storage_full',
  Internal: 'internal_error',
  /**
   * A plan's saved versions have reached the most kept for one plan: the named version (or the
   * restore, which first saves one) was refused and nothing changed (507).
   */
  VersionHistoryFull: 'version_history_full',
  /** A stored version of a plan that does not exist (or version history is not available). */
  VersionNotFound: 'version_not_found',
  /** PDF export needs a browser (Chromium) on the server and it is missing. */
  PdfUnavailable: 'pdf_unavailable',
  /** An export could not be produced. */
  ExportFailed: 'export_failed',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
}
