import type { z } from 'zod'

/** A value that does not fit the plan model (a bad date, an unknown status...). */
export class PlanValidationError extends Error {
  readonly code = 'plan_validation_failed'
}

/** Parses `value` with `schema` or throws a PlanValidationError naming the field. */
export function validated<S extends z.ZodType>(schema: S, value: unknown, field: string): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) {
    throw new PlanValidationError(`${field}: ${result.error.issues[0]?.message ?? 'invalid value'}`)
  }
  return result.data
}
