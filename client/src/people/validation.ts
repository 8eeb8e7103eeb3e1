/** The message when a team member has no team (the server's rule, said before asking it). */
export const TEAM_NEEDED = 'Choose the jurisdiction this person works for.'

/** The first message of each field of a zod validation failure, ending with a full stop. */
export function fieldErrors(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form')
    if (!(key in out)) out[key] = /[.!?]$/.test(issue.message) ? issue.message : `${issue.message}.`
  }
  return out
}
