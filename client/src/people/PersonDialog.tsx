import {
  coachAssignmentsRequestSchema,
  type Jurisdiction,
  type Role,
  type User,
  updateUserRequestSchema,
} from '@lever/shared'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { reissueInvite, setCoachAssignments, updateUser } from '../api/users.ts'
import { announce } from '../ui/announce.ts'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { Field } from '../ui/Field.tsx'
import { InviteLink } from './InviteLink.tsx'
import { RoleAndTeamFields } from './RoleAndTeamFields.tsx'
import { fieldErrors, TEAM_NEEDED } from './validation.ts'

/**
 * Everything a facilitator changes about one person, in a modal dialog: name, role and team,
 * the jurisdictions a coach is assigned to, a new invitation link, and deactivation.
 */
export function PersonDialog({
  person,
  me,
  jurisdictions,
  onClose,
  onChanged,
}: {
  person: User
  me: boolean
  jurisdictions: Jurisdiction[]
  onClose: () => void
  onChanged: (user: User) => void
}) {
  const dialog = useRef<HTMLDialogElement>(null)
  const [name, setName] = useState(person.name)
  const [role, setRole] = useState<Role>(person.role)
  const [team, setTeam] = useState(person.jurisdictionId ?? '')
  const [coachOf, setCoachOf] = useState<Set<string>>(() => new Set(person.coachOf))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [invite, setInvite] = useState<string | null>(null)
  const headingId = `person-${person.id}-heading`

  // Opened once mounted; unmounting removes it (and its backdrop) with the element.
  useEffect(() => {
    const el = dialog.current
    if (el && !el.open) el.showModal()
  }, [])

  const fail = (err: unknown, fallback: string) => {
    const apiError = err instanceof ApiRequestError ? err : null
    setErrors({ form: apiError?.message ?? fallback })
  }

  const save = async (e: FormEvent) => {
    e.preventDefault()
    const patch: { name?: string; role?: Role; jurisdictionId?: string | null } = {}
    if (name !== person.name) patch.name = name
    if (role !== person.role) patch.role = role
    if (role === 'member' && team !== (person.jurisdictionId ?? '')) patch.jurisdictionId = team || null
    const parsed = updateUserRequestSchema.safeParse(patch)
    const found = parsed.success ? {} : fieldErrors(parsed.error.issues)
    if (role === 'member' && !team) found.jurisdictionId = TEAM_NEEDED
    const assignments = [...coachOf].sort()
    const assignmentsChanged = role === 'coach' && assignments.join() !== [...person.coachOf].sort().join()
    if (assignmentsChanged && !coachAssignmentsRequestSchema.safeParse({ jurisdictionIds: assignments }).success) {
      found.coachOf = 'Choose at most 100 jurisdictions.'
    }
    setErrors(found)
    if (Object.keys(found).length > 0) {
      document.getElementById(`person-${found.name ? 'name' : found.jurisdictionId ? 'team' : 'role'}`)?.focus()
      return
    }
    setBusy(true)
    try {
      let user = person
      if (Object.keys(patch).length > 0) user = await updateUser(person.id, patch)
      if (assignmentsChanged) user = await setCoachAssignments(person.id, assignments)
      onChanged(user)
      announce(`Saved the changes to ${user.name}.`)
      onClose()
    } catch (err) {
      fail(err, 'The changes could not be saved. Try again.')
    } finally {
      setBusy(false)
    }
  }

  const setActive = async (active: boolean) => {
    try {
      const user = await updateUser(person.id, { active })
      onChanged(user)
      announce(active ? `${user.name} can sign in again.` : `${user.name} was deactivated and signed out.`)
      onClose()
    } catch (err) {
      fail(err, 'That did not work. Try again.')
    }
  }

  const newInvite = async () => {
    try {
      setInvite(await reissueInvite(person.id))
      announce(`A new invitation link for ${person.name} is shown.`)
    } catch (err) {
      fail(err, 'No link could be made. Try again.')
    }
  }

  return (
    <dialog
      ref={dialog}
      className="person-dialog"
      aria-labelledby={headingId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
    >
      <h2 id={headingId}>Manage {person.name}</h2>
      <p className="field-hint">{person.email}</p>
      <form onSubmit={save} noValidate>
        <Field id="person-name" label="Name" error={errors.name}>
          {(a11y) => <input {...a11y} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <RoleAndTeamFields
          idPrefix="person"
          role={role}
          onRole={setRole}
          team={team}
          onTeam={setTeam}
          jurisdictions={jurisdictions}
          teamError={errors.jurisdictionId}
          roleLockedBecause={me ? 'You cannot give up your own facilitator role.' : undefined}
        />
        {role === 'coach' ? (
          <fieldset
            className="check-group coach-of"
            aria-describedby={errors.coachOf ? 'person-coach-error' : undefined}
          >
            <legend>Coaches these jurisdictions</legend>
            <p className="field-hint">They read these plans and comment on them.</p>
            <div className="check-group__options">
              {jurisdictions.map((j) => (
                <div key={j.id} className="check">
                  <input
                    type="checkbox"
                    id={`person-coach-${j.id}`}
                    checked={coachOf.has(j.id)}
                    onChange={(e) => {
                      const next = new Set(coachOf)
                      if (e.target.checked) next.add(j.id)
                      else next.delete(j.id)
                      setCoachOf(next)
                    }}
                  />
                  <label htmlFor={`person-coach-${j.id}`}>{j.name}</label>
                </div>
              ))}
            </div>
            {errors.coachOf ? (
              <p className="field-error" id="person-coach-error" role="alert">
                {errors.coachOf}
              </p>
            ) : null}
          </fieldset>
        ) : null}
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>

      <section className="person-dialog__section" aria-labelledby={`${headingId}-invite`}>
        <h3 id={`${headingId}-invite`}>Invitation link</h3>
        {invite ? (
          <InviteLink url={invite} name={person.name} />
        ) : person.active ? (
          <>
            <p className="field-hint">
              {person.hasPassword
                ? 'A new link lets them set a new password (if they forgot it). Earlier links stop working.'
                : 'They have not set a password yet. A new link replaces the one they were sent.'}
            </p>
            <button type="button" className="button" onClick={newInvite}>
              Issue a new link
            </button>
          </>
        ) : (
          <p className="field-hint">Reactivate {person.name} before sending them a link.</p>
        )}
      </section>

      {me ? null : (
        <section className="person-dialog__section" aria-labelledby={`${headingId}-account`}>
          <h3 id={`${headingId}-account`}>Account</h3>
          {person.active ? (
            <ConfirmButton
              className="button button--danger"
              title={`Deactivate ${person.name}?`}
              body={
                <p>
                  They are signed out at once, everywhere, and can no longer sign in or open plans. What they wrote
                  stays. You can reactivate them later.
                </p>
              }
              confirmLabel="Deactivate"
              onConfirm={() => void setActive(false)}
            >
              Deactivate…
            </ConfirmButton>
          ) : (
            <ConfirmButton
              className="button"
              confirmClassName="button button--primary"
              title={`Reactivate ${person.name}?`}
              body={<p>They can sign in again with their password, with the role and team shown here.</p>}
              confirmLabel="Reactivate"
              onConfirm={() => void setActive(true)}
            >
              Reactivate…
            </ConfirmButton>
          )}
        </section>
      )}
    </dialog>
  )
}
