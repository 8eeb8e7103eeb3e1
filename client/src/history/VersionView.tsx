import {
  EVIDENCE_TIERS,
  FUNDING_SOURCES,
  INITIATIVE_STATUSES,
  type InitiativeSnapshot,
  initiativeDescriptionField,
  JOB_QUALITY_COMPONENTS,
  labelOf,
  PLAN_SECTIONS,
  PLAN_STATUSES,
  type SectionId,
  type VersionDetailResponse,
} from '@lever/shared'
import type { ReactNode } from 'react'
import { ProseView } from './ProseView.tsx'

const GROUPS = [...new Set(PLAN_SECTIONS.map((s) => s.group))]

type RestorePart = (part: { section: SectionId } | { initiativeId: string }, label: string) => ReactNode

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="history-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function InitiativeView({
  initiative,
  prose,
  restorePart,
}: {
  initiative: InitiativeSnapshot
  prose: VersionDetailResponse['prose']
  restorePart: RestorePart | null
}) {
  const title = initiative.title.trim() || 'Untitled initiative'
  const status = INITIATIVE_STATUSES.find((s) => s.id === initiative.status)
  return (
    <li className="item-card history-initiative">
      <div className="initiative-card__head">
        <h5>{title}</h5>
        <span className={`pill pill--${status?.tone ?? 'neutral'}`}>{status?.label}</span>
      </div>
      <dl className="history-facts">
        <Fact label="Owner">{initiative.owner || '—'}</Fact>
        {initiative.partners ? <Fact label="Partners">{initiative.partners}</Fact> : null}
        <Fact label="Dates">
          {initiative.startDate ?? '—'} to {initiative.dueDate ?? '—'}
        </Fact>
        <Fact label="Components">
          {initiative.components.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)).join(', ') || '—'}
        </Fact>
        {initiative.funding.map((f, i) => (
          <Fact key={f.id} label={`Funding ${i + 1}`}>
            {f.source ? labelOf(FUNDING_SOURCES, f.source) : 'Source not set'}
            {f.program ? ` (${f.program})` : ''}: budgeted {f.budgeted ?? '—'}, obligated {f.obligated ?? '—'}, spent{' '}
            {f.spent ?? '—'}
          </Fact>
        ))}
        <Fact label="Evidence">
          {initiative.evidence.tier ? labelOf(EVIDENCE_TIERS, initiative.evidence.tier) : '—'}
          {initiative.evidence.citation ? `; ${initiative.evidence.citation}` : ''}
        </Fact>
        {initiative.metrics.map((m, i) => (
          <Fact key={m.id} label={`Metric ${i + 1}`}>
            {m.name || 'Unnamed'}: baseline {m.baseline || '—'}, target {m.target || '—'}
          </Fact>
        ))}
        {initiative.milestones.map((m, i) => (
          <Fact key={m.id} label={`Milestone ${i + 1}`}>
            {m.title || 'Untitled'}
            {m.dueDate ? `, due ${m.dueDate}` : ''}
            {m.done ? ' (done)' : ''}
          </Fact>
        ))}
        {initiative.risks ? <Fact label="Risks">{initiative.risks}</Fact> : null}
      </dl>
      <ProseView doc={prose[initiativeDescriptionField(initiative.id)]} empty="No description." headingBase={6} />
      {restorePart?.({ initiativeId: initiative.id }, `initiative “${title}”`)}
    </li>
  )
}

/** A stored version of a plan, read-only, laid out like the plan page (sections, then levers and initiatives). */
export function VersionView({
  detail,
  restorePart,
}: {
  detail: VersionDetailResponse
  restorePart: RestorePart | null
}) {
  const { plan, prose } = detail
  return (
    <article className="history-view" aria-label="The plan as it was">
      <header className="history-view__head">
        <h3>{plan.title}</h3>
        <p>
          Status: {labelOf(PLAN_STATUSES, plan.status)}
          {plan.lastReviewed ? ` · Last reviewed ${plan.lastReviewed}` : ''}
        </p>
      </header>
      {GROUPS.map((group) => (
        <section key={group} className="plan-group history-group">
          <h4 className="plan-group__title">{group}</h4>
          {PLAN_SECTIONS.filter((s) => s.group === group).map((s) => (
            <section key={s.id} className="history-section" aria-label={s.label}>
              <h5>{s.label}</h5>
              <ProseView doc={prose[`section:${s.id}`]} empty="Nothing written." headingBase={6} />
              {restorePart?.({ section: s.id }, `section “${s.label}”`)}
            </section>
          ))}
        </section>
      ))}
      <section className="plan-group history-group">
        <h4 className="plan-group__title">Levers and initiatives</h4>
        {plan.levers.map((lever) => {
          const initiatives = plan.initiatives.filter((i) => i.lever === lever.id)
          return (
            <section key={lever.id} className="history-lever" aria-label={lever.label}>
              <h5>
                {lever.label} <span className="lever__count">({initiatives.length})</span>
              </h5>
              {initiatives.length > 0 ? (
                <ol className="stack-list">
                  {initiatives.map((i) => (
                    <InitiativeView key={i.id} initiative={i} prose={prose} restorePart={restorePart} />
                  ))}
                </ol>
              ) : (
                <p className="history-empty">No initiatives.</p>
              )}
            </section>
          )
        })}
      </section>
    </article>
  )
}
