import {
  AccessMode,
  DEFAULT_LEVERS,
  type DraftModel,
  fragmentText,
  labelOf,
  PLAN_SECTIONS,
  type PlanSummary,
  sendToPlanRequestSchema,
} from '@lever/shared'
import { type FormEvent, useState } from 'react'
import { Link } from 'react-router'
import * as Y from 'yjs'
import { ApiRequestError } from '../api/http.ts'
import { listPlans } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import type { Identity } from '../app/identity.ts'
import { domIds } from '../plan/domIds.ts'
import { EmptyState } from '../ui/Panels.tsx'
import { sendToPlan } from './api.ts'
import { cardName, leverLabel } from './IdeaCards.tsx'

type TargetKind = 'section' | 'lever'

interface Sent {
  planId: string
  planTitle: string
  /** What arrived where, e.g. "1 initiative under Procurement". */
  parts: string[]
  anchor: string
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/** Top-level paragraphs of the draft's prose with their index (what the server copies by index). */
function proseBlocks(model: DraftModel): Array<{ index: number; text: string }> {
  return model.prose
    .toArray()
    .map((node, index) => ({ index, text: node instanceof Y.XmlElement ? fragmentText(node).trim() : '' }))
    .filter((b) => b.text !== '')
}

function preview(text: string): string {
  return text.length > 140 ? `${text.slice(0, 137)}…` : text
}

/**
 * Sends chosen idea cards (as initiatives) and paragraphs of the draft into a section or lever of
 * one of the person's own plans. The server makes the edit in the plan's live document, so it
 * merges with whatever the team is typing there.
 */
export function SendToPlan({ draftId, model, identity }: { draftId: string; model: DraftModel; identity: Identity }) {
  const jurisdictionId = identity.user.jurisdictionId
  const [plans] = useApi(['plans', 'send', jurisdictionId ?? ''], async (signal) =>
    jurisdictionId ? (await listPlans(jurisdictionId, signal)).filter((p) => p.access === AccessMode.ReadWrite) : [],
  )
  return (
    <section className="draft-block send-to-plan" aria-labelledby="send-heading">
      <h2 id="send-heading">Send to my plan</h2>
      {!jurisdictionId ? (
        <p className="field-hint">Team members send ideas from here into their own jurisdiction’s plan.</p>
      ) : plans.status === 'loading' ? (
        <p className="field-hint">Loading your plans…</p>
      ) : plans.status === 'error' ? (
        <p className="field-error">Your plans could not be loaded: {plans.error.message}</p>
      ) : plans.data.length === 0 ? (
        <EmptyState>
          <p>
            Your team has no plan you can edit yet.{' '}
            <Link to={`/jurisdictions/${encodeURIComponent(jurisdictionId)}`}>Start your team’s plan</Link>, then come
            back to send ideas into it.
          </p>
        </EmptyState>
      ) : (
        <SendForm draftId={draftId} model={model} plans={plans.data} />
      )}
    </section>
  )
}

function SendForm({ draftId, model, plans }: { draftId: string; model: DraftModel; plans: PlanSummary[] }) {
  const [cardIds, setCardIds] = useState<ReadonlySet<string>>(new Set())
  const [blockIndexes, setBlockIndexes] = useState<ReadonlySet<number>>(new Set())
  const [planId, setPlanId] = useState(plans[0]?.id ?? '')
  const [kind, setKind] = useState<TargetKind>('lever')
  const [sectionId, setSectionId] = useState<string>(PLAN_SECTIONS[0].id)
  const [leverId, setLeverId] = useState<string>(DEFAULT_LEVERS[0].id)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState<Sent | null>(null)
  // Cards sent into this plan before: ask whether to update what is there (the default) or add anew.
  const [resend, setResend] = useState<'update' | 'new'>('update')
  const [serverAsked, setServerAsked] = useState(false)
  const cards = model.cards.list()
  const repeats = cards.filter((c) => cardIds.has(c.id) && c.sentTo?.planId === planId)
  const asking = repeats.length > 0 || serverAsked
  const blocks = proseBlocks(model)
  const toggle = <T,>(set: ReadonlySet<T>, value: T, on: boolean): ReadonlySet<T> => {
    const next = new Set(set)
    if (on) next.add(value)
    else next.delete(value)
    return next
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setSent(null)
    const chosenCards = cards.filter((c) => cardIds.has(c.id))
    const chosenBlocks = blocks.filter((b) => blockIndexes.has(b.index)).map((b) => b.index)
    let problem: string | null = null
    if (chosenCards.length + chosenBlocks.length === 0) problem = 'Choose at least one idea card or paragraph to send.'
    else if (kind === 'lever' && chosenBlocks.length > 0)
      problem = 'Paragraphs go into a section of the plan: choose “A section”, or untick the paragraphs.'
    else if (kind === 'section') {
      const untagged = chosenCards.filter((c) => !c.lever)
      if (untagged.length > 0)
        problem = `Tag ${untagged.map((c) => `“${cardName(c)}”`).join(', ')} with a lever first, or send to a lever.`
    }
    const target = kind === 'section' ? { kind, sectionId } : { kind, leverId }
    const request = sendToPlanRequestSchema.safeParse({
      planId,
      target,
      cardIds: chosenCards.map((c) => c.id),
      blockIndexes: chosenBlocks,
      ...(asking ? { resend } : {}),
    })
    if (!problem && !request.success) problem = `${request.error.issues[0]?.message ?? 'Check your choices'}.`
    if (problem || !request.success) {
      setError(problem)
      return
    }
    setError(null)
    setBusy(true)
    try {
      const result = await sendToPlan(draftId, request.data)
      const plan = plans.find((p) => p.id === planId)
      const updated = result.updated.length
      const initiatives = result.initiativeIds.length - updated
      const parts = [
        initiatives > 0
          ? `${count(initiatives, 'initiative', 'initiatives')} under ${kind === 'lever' ? labelOf(DEFAULT_LEVERS, leverId) : 'their levers'}`
          : '',
        updated > 0 ? `${count(updated, 'initiative', 'initiatives')} updated` : '',
        result.blocks > 0
          ? `${count(result.blocks, 'paragraph', 'paragraphs')} into ${labelOf(PLAN_SECTIONS, sectionId)}`
          : '',
      ].filter(Boolean)
      setSent({
        planId,
        planTitle: plan?.title ?? 'your plan',
        parts,
        // Where the link lands: the section with the paragraphs, the lever, or (cards sent
        // along with a section target go under their own levers) the plan's levers.
        anchor: result.blocks > 0 ? `section-${sectionId}` : kind === 'lever' ? domIds.lever(leverId) : 'group-levers',
      })
      setCardIds(new Set())
      setBlockIndexes(new Set())
      setServerAsked(false)
      setResend('update')
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 'already_sent') {
        // Someone sent these cards meanwhile: ask, as for cards known to be sent.
        setServerAsked(true)
        setError(`${err.message} Choose below, then send again.`)
        return
      }
      setError(err instanceof ApiRequestError ? err.message : 'Sending did not work. Try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <fieldset>
        <legend>Idea cards (each becomes an initiative)</legend>
        {cards.length === 0 ? <p className="field-hint">No idea cards in this draft.</p> : null}
        {cards.map((c) => (
          <div key={c.id} className="check">
            <input
              type="checkbox"
              id={`send-card-${c.id}`}
              checked={cardIds.has(c.id)}
              onChange={(e) => setCardIds(toggle(cardIds, c.id, e.target.checked))}
            />
            <label htmlFor={`send-card-${c.id}`}>
              {cardName(c)}{' '}
              <span className="nav-note">
                ({leverLabel(c.lever)}
                {c.sentTo ? ', sent before' : ''})
              </span>
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset>
        <legend>Paragraphs of the draft text</legend>
        {blocks.length === 0 ? <p className="field-hint">The draft text is empty.</p> : null}
        {blocks.map((b) => (
          <div key={b.index} className="check">
            <input
              type="checkbox"
              id={`send-block-${b.index}`}
              checked={blockIndexes.has(b.index)}
              onChange={(e) => setBlockIndexes(toggle(blockIndexes, b.index, e.target.checked))}
            />
            <label htmlFor={`send-block-${b.index}`}>{preview(b.text)}</label>
          </div>
        ))}
      </fieldset>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="send-plan">Plan</label>
          <select id="send-plan" value={planId} onChange={(e) => setPlanId(e.target.value)}>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="target-kind">
          <legend>Into</legend>
          {(['lever', 'section'] as const).map((k) => (
            <div key={k} className="check check--inline">
              <input
                type="radio"
                id={`send-kind-${k}`}
                name="send-kind"
                checked={kind === k}
                onChange={() => setKind(k)}
              />
              <label htmlFor={`send-kind-${k}`}>
                {k === 'lever' ? 'A lever (idea cards)' : 'A section (paragraphs, tagged cards)'}
              </label>
            </div>
          ))}
        </fieldset>
        {kind === 'lever' ? (
          <div className="field">
            <label htmlFor="send-lever">Lever</label>
            <select id="send-lever" value={leverId} onChange={(e) => setLeverId(e.target.value)}>
              {DEFAULT_LEVERS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor="send-section">Section</label>
            <select id="send-section" value={sectionId} onChange={(e) => setSectionId(e.target.value)}>
              {PLAN_SECTIONS.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.group}: {s.label}
                </option>
              ))}
            </select>
            <p className="field-hint">Tagged cards go under their own lever; paragraphs go into this section.</p>
          </div>
        )}
      </div>
      {asking ? (
        <fieldset className="resend-choice" data-testid="resend-choice">
          <legend>
            {repeats.length === 1
              ? `“${cardName(repeats[0] as (typeof repeats)[number])}” was already sent into this plan`
              : repeats.length > 1
                ? `${repeats.length} of these cards were already sent into this plan`
                : 'Some of these cards were already sent into this plan'}
          </legend>
          <div className="check">
            <input
              type="radio"
              id="resend-update"
              name="resend"
              checked={resend === 'update'}
              onChange={() => setResend('update')}
            />
            <label htmlFor="resend-update">Update the initiative already sent (recommended)</label>
          </div>
          <div className="check">
            <input
              type="radio"
              id="resend-new"
              name="resend"
              checked={resend === 'new'}
              onChange={() => setResend('new')}
            />
            <label htmlFor="resend-new">Add it again as a new initiative</label>
          </div>
        </fieldset>
      ) : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send to plan'}
      </button>
      <div role="status" className="send-result">
        {sent ? (
          <p data-testid="send-result">
            Sent to “{sent.planTitle}”: {sent.parts.join(' and ')}.{' '}
            <Link className="good-link" to={`/plans/${encodeURIComponent(sent.planId)}#${sent.anchor}`}>
              Open the plan
            </Link>
          </p>
        ) : null}
      </div>
    </form>
  )
}
