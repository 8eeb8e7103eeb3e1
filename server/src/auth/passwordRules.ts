import { ErrorCode } from '@lever/shared'
import { ApiError } from '../http/ApiError.ts'

/**
 * The most common passwords (zxcvbn-ts's list of about 49,000, from public password leaks),
 * lowercased. The length rule (12 characters, in `passwordSchema`) already rules most out; what
 * is left are long ones such as "qwerty123456" and common words with digits around them.
 */
let common: Promise<Set<string>> | null = null

/**
 * The list loads with the first password chosen (the package holds megabytes of word lists a
 * server keeps resident once loaded; most of a server's life nobody sets a password).
 */
function commonPasswords(): Promise<Set<string>> {
  common ??= import('@zxcvbn-ts/language-common').then(
    ({ dictionary }) => new Set(dictionary['passwords-common'].map((p) => p.toLowerCase())),
  )
  return common
}

/** Letters at the edges stripped of what people add to satisfy rules: digits, symbols, spaces. */
const EDGES = /^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu

/**
 * Why a new password is refused beyond its length, in words for the person choosing it, or null
 * when it is fine. `email` is the account's, which is no password either.
 */
export async function passwordProblem(password: string, email?: string): Promise<string | null> {
  const COMMON = await commonPasswords()
  const lower = password.normalize('NFKC').toLowerCase()
  if (COMMON.has(lower))
    return 'This is one of the most common passwords, so it is among the first ones tried. Choose another.'
  if (email && (lower === email.toLowerCase() || lower === email.toLowerCase().split('@')[0])) {
    return 'Do not use your email address as your password.'
  }
  const repeated = /^(.+?)\1+$/su.exec(lower)?.[1]
  if (repeated !== undefined && (Array.from(repeated).length <= 4 || COMMON.has(repeated))) {
    return 'Repeated characters or words are easy to guess. Choose something less predictable.'
  }
  const core = lower.replace(EDGES, '')
  if (core !== lower && Array.from(core).length >= 4 && COMMON.has(core)) {
    return 'This is a common password with digits or symbols added, which is easy to guess. Choose another.'
  }
  return null
}

/** Refuses a password that `passwordProblem` finds fault with, as a validation error of `field`. */
export async function assertAcceptablePassword(
  password: string,
  email: string | undefined,
  field = 'password',
): Promise<void> {
  const problem = await passwordProblem(password, email)
  if (problem) throw new ApiError(400, ErrorCode.ValidationFailed, problem, [{ path: field, message: problem }])
}
