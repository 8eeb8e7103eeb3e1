import { PLAN_SECTIONS } from '@lever/shared'
import type { MouseEvent, ReactNode } from 'react'
import { peersAt } from '../collab/presence.ts'
import { useDerivedValue } from './derived.tsx'
import { domIds } from './domIds.ts'
import { usePlanPeers } from './PlanContext.tsx'
import { focusWhenReady } from './PlanUi.tsx'
import { groupAnchor } from './ProseGroup.tsx'
import { PeerList } from './presenceUi.tsx'

function NavLink({ target, focusId, children }: { target: string; focusId: string; children: ReactNode }) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    e.preventDefault()
    window.history.replaceState(window.history.state, '', `#${target}`)
    focusWhenReady(focusId)
  }
  return (
    <a href={`#${target}`} onClick={onClick}>
      {children}
    </a>
  )
}

/** The plan's table of contents: sections, levers, derived views; who is where. */
export function PlanNav() {
  const peers = usePlanPeers()
  // What the contents show, each the same object while it says the same: typing in a section
  // re-renders them only when the section becomes empty or stops being empty.
  const emptySections = useDerivedValue((d) => d.emptySections)
  const initiatives = useDerivedValue((d) => d.snapshot.initiatives)
  const levers = useDerivedValue((d) => d.snapshot.levers)
  const completeness = useDerivedValue((d) => d.completeness)
  const warnings = useDerivedValue((d) => d.warnings)
  const serious = warnings.filter((w) => w.severity === 'high').length
  const groups = [...new Set(PLAN_SECTIONS.map((s) => s.group))]
  return (
    <nav className="plan-nav" aria-label="Plan contents">
      <ul>
        {groups.map((group) => (
          <li key={group}>
            <NavLink target={groupAnchor(group)} focusId={groupAnchor(group)}>
              {group}
            </NavLink>
            <ul>
              {PLAN_SECTIONS.filter((s) => s.group === group).map((s) => {
                const here = peersAt(peers, 'section', s.id)
                const empty = emptySections.includes(s.id)
                return (
                  <li key={s.id}>
                    <NavLink target={`section-${s.id}`} focusId={domIds.sectionEditor(s.id)}>
                      {s.label}
                      {empty ? <span className="nav-note"> (empty)</span> : null}
                    </NavLink>
                    {here.length ? <PeerList peers={here} label={`In ${s.label}`} /> : null}
                  </li>
                )
              })}
            </ul>
          </li>
        ))}
        <li>
          <NavLink target="group-levers" focusId="group-levers">
            Levers
          </NavLink>
          <ul>
            {levers.map((lever) => {
              const count = initiatives.filter((i) => i.lever === lever.id).length
              const here = peers.filter(
                (p) =>
                  !p.isSelf &&
                  p.focus?.kind === 'initiative' &&
                  initiatives.some((i) => i.id === p.focus?.id && i.lever === lever.id),
              )
              return (
                <li key={lever.id}>
                  <NavLink target={domIds.lever(lever.id)} focusId={domIds.leverHeading(lever.id)}>
                    {lever.label} <span className="nav-note">({count})</span>
                  </NavLink>
                  {here.length ? <PeerList peers={here} label={`On ${lever.label} initiatives`} /> : null}
                </li>
              )
            })}
          </ul>
        </li>
        <li>
          <NavLink target={domIds.health} focusId={domIds.health}>
            Plan health
          </NavLink>
          <ul>
            <li>
              <NavLink target={domIds.coverage} focusId={`${domIds.coverage}-heading`}>
                Coverage
              </NavLink>
            </li>
            <li>
              <NavLink target={domIds.completeness} focusId={`${domIds.completeness}-heading`}>
                Completeness <span className="nav-note">({completeness.percent}%)</span>
              </NavLink>
            </li>
            <li>
              <NavLink target={domIds.warnings} focusId={`${domIds.warnings}-heading`}>
                Warnings{' '}
                <span className={serious ? 'nav-badge nav-badge--serious' : 'nav-note'}>
                  ({warnings.length}
                  {serious ? `, ${serious} serious` : ''})
                </span>
              </NavLink>
            </li>
          </ul>
        </li>
      </ul>
    </nav>
  )
}
