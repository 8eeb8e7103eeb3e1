import { type Jurisdiction, ROLES, type Role } from '@lever/shared'
import { Field } from '../ui/Field.tsx'

/**
 * A person's role (with what it means) and, for a team member, the jurisdiction they work for:
 * the same two fields when inviting someone and when managing them. Their ids are
 * `<idPrefix>-role` and `<idPrefix>-team`.
 */
export function RoleAndTeamFields({
  idPrefix,
  role,
  onRole,
  team,
  onTeam,
  jurisdictions,
  teamError,
  roleLockedBecause,
}: {
  idPrefix: string
  role: Role
  onRole: (role: Role) => void
  team: string
  onTeam: (jurisdictionId: string) => void
  jurisdictions: Jurisdiction[]
  teamError?: string
  /** Why the role cannot be changed (the select is disabled and says so), if it cannot. */
  roleLockedBecause?: string
}) {
  return (
    <>
      <Field
        id={`${idPrefix}-role`}
        label="Role"
        hint={roleLockedBecause ?? ROLES.find((r) => r.id === role)?.description}
      >
        {(a11y) => (
          <select
            {...a11y}
            value={role}
            disabled={roleLockedBecause !== undefined}
            onChange={(e) => onRole(e.target.value as Role)}
          >
            {ROLES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {role === 'member' ? (
        <Field id={`${idPrefix}-team`} label="Team" error={teamError}>
          {(a11y) => (
            <select {...a11y} value={team} onChange={(e) => onTeam(e.target.value)}>
              <option value="">Choose a jurisdiction</option>
              {jurisdictions.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
    </>
  )
}
