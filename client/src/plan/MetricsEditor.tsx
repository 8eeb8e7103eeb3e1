import {
  DISAGGREGATIONS,
  type InitiativeModel,
  METRIC_FREQUENCIES,
  METRIC_TYPES,
  type MetricFrequency,
  type MetricType,
} from '@lever/shared'
import { tryEdit } from '../collab/sessionHooks.ts'
import { CommentOnButton } from '../comments/CommentButtons.tsx'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { DraftField, parseDate } from '../ui/DraftField.tsx'
import { SelectField } from '../ui/SelectField.tsx'
import { TextField } from '../ui/TextField.tsx'
import { domIds } from './domIds.ts'
import { initiativeName } from './InitiativeCard.tsx'
import { ItemControls } from './ItemControls.tsx'
import { ItemListEditor } from './ItemListEditor.tsx'
import { usePlanSession } from './PlanContext.tsx'

/** The metrics of an initiative (its logic model): what is measured, from where, how often, for whom. */
export function MetricsEditor({ initiative }: { initiative: InitiativeModel }) {
  const session = usePlanSession()
  const metrics = initiative.metrics.list()
  const addId = domIds.initiativeField(initiative.id, 'add-metric')
  return (
    <ItemListEditor
      legend="Metrics"
      count={metrics.length}
      empty="No metrics yet. How will you know this initiative worked?"
      addLabel="Add metric"
      addId={addId}
      added="Added a metric."
      add={(id) => initiative.metrics.add(id)}
      firstField={(id) => domIds.metricField(id, 'name')}
    >
      {metrics.map((metric, index) => {
        const mid = (field: string) => domIds.metricField(metric.id, field)
        const name = metric.text('name')?.toString().trim() || `metric ${index + 1}`
        return (
          <li key={metric.id} className="item-list__item">
            <div className="form-grid form-grid--3">
              <TextField id={mid('name')} label="Metric" text={metric.text('name')} className="span-2" />
              <SelectField<MetricType>
                id={mid('type')}
                label="Type"
                value={metric.type}
                options={METRIC_TYPES}
                emptyLabel="Choose a type"
                onChange={(v) => tryEdit(session, () => metric.setType(v))}
              />
              <TextField id={mid('baseline')} label="Baseline" text={metric.text('baseline')} />
              <TextField id={mid('target')} label="Target" text={metric.text('target')} />
              <DraftField
                id={mid('targetDate')}
                label="Target date"
                value={metric.targetDate}
                parse={parseDate}
                commit={(v) => tryEdit(session, () => metric.setTargetDate(v))}
                inputProps={{ type: 'date' }}
              />
              <TextField id={mid('dataSource')} label="Data source" text={metric.text('dataSource')} />
              <SelectField<MetricFrequency>
                id={mid('frequency')}
                label="Frequency"
                value={metric.frequency}
                options={METRIC_FREQUENCIES}
                emptyLabel="Choose how often"
                onChange={(v) => tryEdit(session, () => metric.setFrequency(v))}
              />
              <CheckGroup
                legend="Disaggregated by"
                idPrefix={mid('by')}
                options={DISAGGREGATIONS}
                checked={metric.disaggregation}
                onToggle={(d, on) => tryEdit(session, () => metric.setDisaggregation(d, on))}
                className="check-group--inline"
              />
            </div>
            <ItemControls
              idPrefix={mid('item')}
              index={index}
              total={metrics.length}
              kind="metric"
              itemLabel={`metric “${name}”`}
              onMove={(to) => session.edit(() => initiative.metrics.move(metric.id, to))}
              onRemove={() => session.edit(() => initiative.metrics.remove(metric.id))}
              removeBody={<p>“{name}”, its baseline, target and data source will be removed for everyone.</p>}
              afterRemoveFocus={addId}
              extra={
                <CommentOnButton
                  draft={{
                    kind: 'metric',
                    initiativeId: initiative.id,
                    metricId: metric.id,
                    label: `${initiativeName(initiative.title)}: ${name}`,
                  }}
                  name={`metric “${name}”`}
                />
              }
            />
          </li>
        )
      })}
    </ItemListEditor>
  )
}
