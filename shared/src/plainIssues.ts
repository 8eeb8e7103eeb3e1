import { z } from 'zod'

/**
 * Zod's own messages ("Too big: expected string to have <=150 characters") in plain sentences that
 * name the field, for the issues whose schema gives no message of its own (a schema's message wins:
 * zod asks this map only for issues without one). People read these in forms; scripts read the
 * issue's path in the error's details. Like the schemas' own messages, they end without a period.
 */
export const plainIssues: z.core.$ZodErrorMap = (issue) => {
  const field = fieldName(issue.path ?? [])
  switch (issue.code) {
    case 'too_big': {
      const max = Number(issue.maximum)
      if (issue.origin === 'string') return `${field} is too long: keep it to ${max} characters or fewer`
      if (issue.origin === 'array' || issue.origin === 'set') return `${field} has too many items: at most ${max}`
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return `${field} must be ${issue.inclusive ? 'at most' : 'less than'} ${max}`
      return `${field} is too large`
    }
    case 'too_small': {
      const min = Number(issue.minimum)
      if (issue.origin === 'string')
        return min <= 1 ? `${field} cannot be empty` : `${field} needs at least ${min} characters`
      if (issue.origin === 'array' || issue.origin === 'set')
        return min <= 1 ? `${field} needs at least one item` : `${field} needs at least ${min} items`
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint')
        return `${field} must be ${issue.inclusive ? 'at least' : 'more than'} ${min}`
      return `${field} is too small`
    }
    case 'invalid_type':
      if (issue.input === undefined) return `${field} is missing`
      return `${field} must be ${article(issue.expected)}`
    case 'invalid_format':
      return `${field} is not in the right format${issue.format && issue.format !== 'regex' ? ` (${issue.format})` : ''}`
    case 'invalid_value':
      return `${field} must be one of: ${issue.values.map((v) => String(v)).join(', ')}`
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'field' : 'fields'}: ${issue.keys.join(', ')}`
    case 'not_multiple_of':
      return `${field} must be a multiple of ${String(issue.divisor)}`
    default:
      return undefined
  }
}

/** "durationMinutes" → "Duration minutes"; the whole request when there is no path. */
function fieldName(path: PropertyKey[]): string {
  const key = [...path].reverse().find((p) => typeof p === 'string') as string | undefined
  if (!key) return path.length > 0 ? 'An item' : 'This value'
  // An element of a list: "Each of tags", not the list itself.
  const each = typeof path.at(-1) === 'number'
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase()
  return each ? `Each of ${words}` : words.charAt(0).toUpperCase() + words.slice(1)
}

function article(expected: string): string {
  if (expected === 'array') return 'a list'
  if (expected === 'object') return 'an object'
  if (expected === 'int' || expected === 'number') return 'a number'
  if (expected === 'boolean') return 'true or false'
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

/**
 * Makes `plainIssues` zod's messages for every schema without its own, in this process or page
 * (call once at start: the client's entry, the server's request validation).
 */
export function enablePlainValidationMessages(): void {
  z.config({ customError: plainIssues })
}
