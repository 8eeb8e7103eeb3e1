import { type ApiErrorBody, ErrorCode } from '@lever/shared'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** An error the API reports to the caller as `{ error: { code, message } }` with a status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }

  toBody(): ApiErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    }
  }

  static notFound(message = 'Not found'): ApiError {
    return new ApiError(404, ErrorCode.NotFound, message)
  }

  static badRequest(message: string, details?: unknown): ApiError {
    return new ApiError(400, ErrorCode.BadRequest, message, details)
  }

  static forbidden(message = 'You do not have access to this'): ApiError {
    return new ApiError(403, ErrorCode.Forbidden, message)
  }

  static unauthenticated(message = 'Sign in to continue'): ApiError {
    return new ApiError(401, ErrorCode.Unauthenticated, message)
  }

  static conflict(message: string): ApiError {
    return new ApiError(409, ErrorCode.Conflict, message)
  }
}
