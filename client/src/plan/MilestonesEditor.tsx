import type { InitiativeModel } from '@lever/shared'
import { tryEdit } from '../collab/sessionHooks.ts'
import { DraftField, parseDate } from '../ui/DraftField.tsx'
import { TextField } from '../ui/TextField.tsx'
import { domIds } from './domIds.ts'
import { ItemControls } from './ItemControls.tsx'
import { ItemListEditor } from './ItemListEditor.tsx'
import { usePlanSession } from './PlanContext.tsx'

/** The milestones of an initiative: what, by when, done or not. */
export function MilestonesEditor({ initiative }: { initiative: InitiativeModel }) {
  const session = usePlanSession()
  const milestones = initiative.milestones.list()
  const addId = domIds.initiativeField(initiative.id, 'add-milestone')
  return (
    <ItemListEditor
      legend="Milestones"
      count={milestones.length}
      empty="No milestones yet."
      addLabel="Add milestone"
      addId={addId}
      added="Added a milestone."
      add={(id) => initiative.milestones.add(id)}
      firstField={(id) => domIds.milestoneField(id, 'title')}
    >
      {milestones.map((m, index) => {
        const mid = (field: string) => domIds.milestoneField(m.id, field)
        const name = m.title?.toString().trim() || `milestone ${index + 1}`
        return (
          <li key={m.id} className={`item-list__item milestone${m.done ? ' milestone--done' : ''}`}>
            <div className="form-grid form-grid--3">
              <TextField id={mid('title')} label="Milestone" text={m.title} className="span-2" />
              <DraftField
                id={mid('dueDate')}
                label="Due"
                value={m.dueDate}
                parse={parseDate}
                commit={(v) => tryEdit(session, () => m.setDueDate(v))}
                inputProps={{ type: 'date' }}
              />
            </div>
            <ItemControls
              idPrefix={mid('item')}
              index={index}
              total={milestones.length}
              kind="milestone"
              itemLabel={`milestone “${name}”`}
              onMove={(to) => session.edit(() => initiative.milestones.move(m.id, to))}
              onRemove={() => session.edit(() => initiative.milestones.remove(m.id))}
              removeBody={<p>“{name}” will be removed for everyone.</p>}
              afterRemoveFocus={addId}
              extra={
                <span className="check check--inline">
                  <input
                    type="checkbox"
                    id={mid('done')}
                    checked={m.done}
                    disabled={session.readOnly}
                    onChange={(e) => session.edit(() => m.setDone(e.target.checked))}
                  />
                  <label htmlFor={mid('done')}>
                    Done<span className="visually-hidden">: {name}</span>
                  </label>
                </span>
              }
            />
          </li>
        )
      })}
    </ItemListEditor>
  )
}
