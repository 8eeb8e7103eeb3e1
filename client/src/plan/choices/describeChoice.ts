import {
  DEFAULT_LEVERS,
  EVIDENCE_TIERS,
  FUNDING_SOURCES,
  INITIATIVE_STATUSES,
  METRIC_FREQUENCIES,
  METRIC_TYPES,
  PLAN_STATUSES,
  PlanKeys,
  SLFRF_CATEGORIES,
} from '@lever/shared'
import * as Y from 'yjs'
import type { Choice } from './ReplacedChoices.ts'

type Labelled = ReadonlyArray<{ id: string; label: string }>

/** The field of a choice as a person names it, and what it belongs to. */
export interface ChoiceField {
  /** e.g. "Status", "Amount budgeted". */
  field: string
  /** e.g. the initiative's title; null for the plan itself. */
  of: string | null
}

const FIELD_LABELS: Record<string, Record<string, string>> = {
  plan: { status: 'Plan status', lastReviewed: 'Last reviewed' },
  initiative: {
    status: 'Status',
    lever: 'Lever',
    startDate: 'Start date',
    dueDate: 'Due date',
    evidenceTier: 'Evidence',
  },
  funding: {
    source: 'Funding source',
    category: 'Expenditure category',
    budgeted: 'Amount budgeted',
    obligated: 'Amount obligated',
    spent: 'Amount spent',
  },
  metrics: { type: 'Metric type', frequency: 'Frequency', targetDate: 'Target date' },
  milestones: { dueDate: 'Milestone date' },
}

/** "obligationDate" → "Obligation date". */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function parentMap(map: Y.Map<unknown>): Y.Map<unknown> | null {
  const parent = map._item?.parent
  return parent instanceof Y.Map ? (parent as Y.Map<unknown>) : null
}

/** The initiative map `map` belongs to (itself, or a map inside it), if any. */
function initiativeOf(doc: Y.Doc, map: Y.Map<unknown>): Y.Map<unknown> | null {
  const initiatives = doc.getMap(PlanKeys.initiatives)
  for (let m: Y.Map<unknown> | null = map; m; m = parentMap(m)) if (parentMap(m) === initiatives) return m
  return null
}

function titleOf(map: Y.Map<unknown>): string | null {
  const title = map.get('title') ?? map.get('label')
  const text = title instanceof Y.Text ? title.toString() : typeof title === 'string' ? title : ''
  return text.trim() || null
}

/** Names the field `key` of `map` in a plan document. */
export function describeField(doc: Y.Doc, map: Y.Map<unknown>, key: string): ChoiceField {
  if (map === doc.getMap(PlanKeys.meta)) return { field: FIELD_LABELS.plan?.[key] ?? humanize(key), of: null }
  const initiative = initiativeOf(doc, map)
  if (!initiative) return { field: humanize(key), of: titleOf(map) }
  const of = titleOf(initiative) ?? 'an untitled initiative'
  if (map === initiative) return { field: FIELD_LABELS.initiative?.[key] ?? humanize(key), of }
  const collection = parentMap(map)?._item?.parentSub ?? ''
  return { field: FIELD_LABELS[collection]?.[key] ?? humanize(key), of }
}

function labelIn(list: Labelled, value: string): string | null {
  return list.find((o) => o.id === value)?.label ?? null
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })
const dates = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' })

/** A choice's value as its field shows it: "On track", "$250,000", "Jun 30, 2026". */
export function describeValue(doc: Y.Doc, map: Y.Map<unknown>, key: string, value: Choice): string {
  if (typeof value === 'number') return /budget|obligat|spent|amount/i.test(key) ? usd.format(value) : String(value)
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const time = Date.parse(`${value}T00:00:00Z`)
    if (!Number.isNaN(time)) return dates.format(time)
  }
  const lists: Record<string, Labelled> = {
    status: map === doc.getMap(PlanKeys.meta) ? PLAN_STATUSES : INITIATIVE_STATUSES,
    source: FUNDING_SOURCES,
    type: METRIC_TYPES,
    frequency: METRIC_FREQUENCIES,
    evidenceTier: EVIDENCE_TIERS,
  }
  if (key === 'lever') {
    const lever = doc.getMap(PlanKeys.levers).get(value)
    const label = lever instanceof Y.Map ? lever.get('label') : null
    return typeof label === 'string' ? label : (labelIn(DEFAULT_LEVERS, value) ?? value)
  }
  if (key === 'category') {
    const label = labelIn(SLFRF_CATEGORIES, value)
    return label ? `${value} ${label}` : value
  }
  const list = lists[key]
  return (list ? labelIn(list, value) : null) ?? value
}
