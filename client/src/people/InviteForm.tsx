import { createUserRequestSchema, type Jurisdiction, type Role, type User } from '@lever/shared'
import { type FormEvent, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { createUser } from '../api/users.ts'
import { announce } from '../ui/announce.ts'
import { Field } from '../ui/Field.tsx'
import { InviteLink } from './InviteLink.tsx'
import { RoleAndTeamFields } from './RoleAndTeamFields.tsx'
import { fieldErrors, TEAM_NEEDED } from './validation.ts'

/** Invites a person: their account with a role (and team), and the one-time link to pass on. */
export function InviteForm({
  jurisdictions,
  onCreated,
}: {
  jurisdictions: Jurisdiction[]
  onCreated: (user: User) => void
}) {
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>('member')
  const [team, setTeam] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [invite, setInvite] = useState<{ url: string; name: string } | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const body = { email, name, role, jurisdictionId: role === 'member' ? team || null : null }
    const parsed = createUserRequestSchema.safeParse(body)
    const found = parsed.success ? {} : fieldErrors(parsed.error.issues)
    if (role === 'member' && !team) found.jurisdictionId = TEAM_NEEDED
    setErrors(found)
    const first = ['name', 'email', 'jurisdictionId'].find((k) => found[k])
    if (first || !parsed.success) {
      document.getElementById(`invite-${first === 'jurisdictionId' ? 'team' : (first ?? 'name')}`)?.focus()
      return
    }
    setBusy(true)
    try {
      const created = await createUser(parsed.data)
      setInvite(created.inviteUrl ? { url: created.inviteUrl, name: created.user.name } : null)
      setName('')
      setEmail('')
      setTeam('')
      announce(`${created.user.name} was added. Their invitation link is shown.`)
      onCreated(created.user)
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      if (apiError?.status === 409) setErrors({ email: `${apiError.message}.` })
      else setErrors({ form: apiError?.message ?? 'The invitation could not be created. Try again.' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card invite-card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      {invite ? <InviteLink url={invite.url} name={invite.name} onDone={() => setInvite(null)} /> : null}
      <form onSubmit={submit} noValidate className="invite-form">
        <Field id="invite-name" label="Name" error={errors.name}>
          {(a11y) => <input {...a11y} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field id="invite-email" label="Email address" error={errors.email}>
          {(a11y) => (
            <input {...a11y} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
          )}
        </Field>
        <RoleAndTeamFields
          idPrefix="invite"
          role={role}
          onRole={setRole}
          team={team}
          onTeam={setTeam}
          jurisdictions={jurisdictions}
          teamError={errors.jurisdictionId}
        />
        {role === 'coach' ? (
          <p className="field-hint">Assign the jurisdictions they coach in the list once they are added.</p>
        ) : null}
        {errors.form ? (
          <p className="field-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create invitation'}
        </button>
      </form>
    </section>
  )
}
