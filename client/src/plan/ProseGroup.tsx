import { COMPONENT_GROUPS, JOB_QUALITY_COMPONENTS, PLAN_SECTIONS, sectionField } from '@lever/shared'
import { memo } from 'react'
import { domIds } from './domIds.ts'
import { usePlanSession, usePlanValue } from './PlanContext.tsx'
import { FocusZone, PeersHere } from './presenceUi.tsx'
import { RichTextEditor } from './RichTextEditor.tsx'

type Group = (typeof PLAN_SECTIONS)[number]['group']

export function groupAnchor(group: string): string {
  return `group-${group.toLowerCase()}`
}

/**
 * One heading of the plan (Strategy, Equity) with its prose sections, each a live editor; only
 * the `first` sections of them while the page is still opening.
 */
export function ProseGroup({
  group,
  withTargets = false,
  first,
}: {
  group: Group
  withTargets?: boolean
  first?: number
}) {
  const sections = PLAN_SECTIONS.filter((s) => s.group === group).slice(0, first)
  return (
    <section className="plan-group" aria-labelledby={groupAnchor(group)}>
      <h2 id={groupAnchor(group)} className="plan-group__title" tabIndex={-1}>
        {group}
      </h2>
      {sections.map((s, i) => (
        <div key={s.id}>
          <ProseSection id={s.id} label={s.label} hint={s.hint} />
          {withTargets && i === 1 ? <TargetComponents /> : null}
        </div>
      ))}
    </section>
  )
}

const ProseSection = memo(function ProseSection({ id, label, hint }: { id: string; label: string; hint: string }) {
  return (
    <FocusZone
      focus={{ kind: 'section', id }}
      className="prose-section"
      as="section"
      id={`section-${id}`}
      aria-labelledby={domIds.sectionHeading(id)}
    >
      <div className="prose-section__head">
        <h3 id={domIds.sectionHeading(id)} tabIndex={-1}>
          {label}
        </h3>
        <PeersHere kind="section" id={id} />
      </div>
      <p className="field-hint" id={domIds.sectionHint(id)}>
        {hint}
      </p>
      <RichTextEditor
        id={domIds.sectionEditor(id)}
        field={sectionField(id as Parameters<typeof sectionField>[0])}
        anchorField={sectionField(id as Parameters<typeof sectionField>[0])}
        labelledBy={domIds.sectionHeading(id)}
        describedBy={domIds.sectionHint(id)}
        label={label}
      />
    </FocusZone>
  )
})

/** "Which of the eight components does this plan target?" as grouped checkboxes. */
function TargetComponents() {
  const session = usePlanSession()
  // Re-rendered when the targeted components or what this person may do change, not per keystroke.
  const targetedIds = usePlanValue((s) => s.model.targetComponents.join(' '))
  const readOnly = usePlanValue((s) => s.readOnly)
  const targeted = new Set<string>(targetedIds.split(' '))
  return (
    <fieldset className="target-components" id="target-components">
      <legend>Components of job quality this plan targets</legend>
      <div className="component-groups">
        {COMPONENT_GROUPS.map((g) => (
          <fieldset key={g.id} className="component-group">
            <legend className="component-group__title">{g.label}</legend>
            {JOB_QUALITY_COMPONENTS.filter((c) => c.group === g.id).map((c) => (
              <div key={c.id} className="check">
                <input
                  type="checkbox"
                  id={domIds.targetComponent(c.id)}
                  checked={targeted.has(c.id)}
                  disabled={readOnly}
                  aria-describedby={`${domIds.targetComponent(c.id)}-desc`}
                  onChange={(e) => session.edit(() => session.model.setTargetComponent(c.id, e.target.checked))}
                />
                <label htmlFor={domIds.targetComponent(c.id)}>{c.label}</label>
                <span className="check__desc" id={`${domIds.targetComponent(c.id)}-desc`}>
                  {c.description}
                </span>
              </div>
            ))}
          </fieldset>
        ))}
      </div>
    </fieldset>
  )
}
