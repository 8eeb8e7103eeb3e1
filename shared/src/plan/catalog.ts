/**
 * The program's vocabulary as data: levers, job-quality components, statuses, evidence tiers,
 * funding sources and SLFRF expenditure categories. Components and views read these lists;
 * nothing else spells these values out. See shared/context/domain.md in the program brief.
 */

export interface LeverDef {
  id: string
  label: string
  description: string
}

/** The four levers of change of the phase-2 curriculum (a plan may add more; see PlanModel). */
export const DEFAULT_LEVERS = [
  {
    id: 'procurement',
    label: 'Procurement',
    description: 'Awards, purchases and contract management that reward job quality and evidence of effectiveness.',
  },
  {
    id: 'hrPractices',
    label: 'HR practices',
    description: 'How the government itself recruits, hires, supports, develops and advances its own staff.',
  },
  {
    id: 'policy',
    label: 'Policy',
    description: 'Research, influence and networks used to change local, state or federal policy.',
  },
  {
    id: 'empowerment',
    label: 'Empowerment',
    description: 'Educating and organising workers and businesses; structural shifts.',
  },
] as const satisfies readonly LeverDef[]

export const COMPONENT_GROUPS = [
  { id: 'necessities', label: 'Necessities' },
  { id: 'opportunities', label: 'Opportunities' },
  { id: 'features', label: 'Features' },
] as const
export type ComponentGroupId = (typeof COMPONENT_GROUPS)[number]['id']

/** The eight components of job quality. */
export const JOB_QUALITY_COMPONENTS = [
  { id: 'wages', label: 'Wages', group: 'necessities', description: 'Enough to live on, stable and predictable.' },
  { id: 'benefits', label: 'Benefits', group: 'necessities', description: 'Health coverage, retirement, paid leave.' },
  {
    id: 'scheduling',
    label: 'Scheduling',
    group: 'necessities',
    description: 'Predictable hours, enough of them, some control.',
  },
  {
    id: 'safety',
    label: 'Safety and security',
    group: 'necessities',
    description: 'Physically and psychologically safe, free of harassment, stable.',
  },
  {
    id: 'learning',
    label: 'Learning and career development',
    group: 'opportunities',
    description: 'Training, credentials, career pathways.',
  },
  {
    id: 'voice',
    label: 'Voice and representation',
    group: 'opportunities',
    description: 'Raising concerns and influencing decisions, unions, ownership.',
  },
  {
    id: 'culture',
    label: 'Environment and culture',
    group: 'features',
    description: 'Respectful, inclusive, supportive management.',
  },
  {
    id: 'purpose',
    label: 'Purpose and dignity',
    group: 'features',
    description: 'Work that is valued and feels worth doing.',
  },
] as const satisfies ReadonlyArray<{ id: string; label: string; group: ComponentGroupId; description: string }>
export type ComponentId = (typeof JOB_QUALITY_COMPONENTS)[number]['id']

/** Prose sections of a plan, in reading order, grouped under the plan's headings. */
export const PLAN_SECTIONS = [
  {
    id: 'problem',
    group: 'Strategy',
    label: 'Problem and baseline',
    hint: 'What job-quality problem are you solving, for whom, and where do things stand today?',
  },
  {
    id: 'jobQualityDefinition',
    group: 'Strategy',
    label: 'Job-quality definition',
    hint: 'The definition of a good job your jurisdiction adopts.',
  },
  {
    id: 'theoryOfChange',
    group: 'Strategy',
    label: 'Theory of change',
    hint: 'How your levers and initiatives lead to better jobs: inputs → activities → outputs → outcomes → impact.',
  },
  {
    id: 'equityPopulations',
    group: 'Equity',
    label: 'Populations we focus on',
    hint: 'Populations historically underserved that this plan targets.',
  },
  {
    id: 'equityAccess',
    group: 'Equity',
    label: 'Checking access and outcomes',
    hint: 'How you will check who gets access and who benefits, disaggregated.',
  },
  {
    id: 'communityEngagement',
    group: 'Equity',
    label: 'Community engagement',
    hint: 'How workers, residents and employers shape and review the plan.',
  },
] as const
export type SectionId = (typeof PLAN_SECTIONS)[number]['id']

export const PLAN_STATUSES = [
  { id: 'draft', label: 'Draft' },
  { id: 'inReview', label: 'In review' },
  { id: 'adopted', label: 'Adopted' },
  { id: 'archived', label: 'Archived' },
] as const
export type PlanStatus = (typeof PLAN_STATUSES)[number]['id']

export const INITIATIVE_STATUSES = [
  { id: 'notStarted', label: 'Not started', tone: 'neutral' },
  { id: 'onTrack', label: 'On track', tone: 'good' },
  { id: 'atRisk', label: 'At risk', tone: 'warn' },
  { id: 'offTrack', label: 'Off track', tone: 'bad' },
  { id: 'done', label: 'Done', tone: 'good' },
] as const
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number]['id']

/**
 * Evidence tiers. Treasury's SLFRF reporting counts strong and moderate evidence as
 * "evidence-based"; the program calls work with an informed rationale and an evaluation under way
 * "evidence-building".
 */
export const EVIDENCE_TIERS = [
  { id: 'strong', label: 'Strong evidence', kind: 'evidenceBased' },
  { id: 'moderate', label: 'Moderate evidence', kind: 'evidenceBased' },
  { id: 'preliminary', label: 'Preliminary evidence', kind: 'evidenceBuilding' },
  { id: 'evidenceBuilding', label: 'Evidence-building (evaluation under way)', kind: 'evidenceBuilding' },
] as const
export type EvidenceTier = (typeof EVIDENCE_TIERS)[number]['id']

export const FUNDING_SOURCES = [
  { id: 'slfrf', label: 'ARP State and Local Fiscal Recovery Funds (SLFRF)' },
  { id: 'iija', label: 'Infrastructure Investment and Jobs Act (IIJA)' },
  { id: 'local', label: 'Local or state funds' },
  { id: 'other', label: 'Other' },
] as const
export type FundingSource = (typeof FUNDING_SOURCES)[number]['id']

/** Workforce-relevant SLFRF expenditure categories (final-rule numbering). */
export const SLFRF_CATEGORIES = [
  { id: '2.10', label: 'Assistance to Unemployed or Underemployed Workers' },
  { id: '2.11', label: 'Healthy Childhood Environments: Child Care' },
  { id: '2.12', label: 'Healthy Childhood Environments: Home Visiting' },
  { id: '2.13', label: 'Healthy Childhood Environments: Services to Foster Youth or Families' },
  { id: '2.14', label: 'Healthy Childhood Environments: Early Learning' },
  { id: '2.29', label: 'Loans or Grants to Mitigate Financial Hardship (small business)' },
  { id: '2.30', label: 'Technical Assistance, Counseling, or Business Planning' },
  { id: '2.31', label: 'Rehabilitation of Commercial Properties or Other Improvements' },
  { id: '2.32', label: 'Business Incubators and Start-Up or Expansion Assistance' },
  { id: '2.33', label: 'Enhanced Support to Microbusinesses' },
  { id: '3.1', label: 'Public Sector Workforce: Payroll and Benefits' },
  { id: '3.2', label: 'Public Sector Workforce: Rehiring Public Sector Staff' },
  { id: '3.3', label: 'Public Sector Workforce: Other' },
  { id: '3.4', label: 'Public Sector Capacity: Effective Service Delivery' },
  { id: '3.5', label: 'Public Sector Capacity: Administrative Needs' },
  { id: '4.1', label: 'Public Sector Employees (premium pay)' },
  { id: '4.2', label: 'Private Sector: Grants to Other Employers (premium pay)' },
  { id: '6.1', label: 'Provision of Government Services (revenue replacement)' },
  { id: '7.1', label: 'Administrative Expenses' },
] as const
export type SlfrfCategory = (typeof SLFRF_CATEGORIES)[number]['id']

/** SLFRF must be obligated by the end of 2024 and spent by the end of 2026. */
export const SLFRF_DEADLINES = { obligateBy: '2024-12-31', spendBy: '2026-12-31' } as const

export const METRIC_TYPES = [
  { id: 'output', label: 'Output' },
  { id: 'outcome', label: 'Outcome' },
  { id: 'impact', label: 'Impact' },
] as const
export type MetricType = (typeof METRIC_TYPES)[number]['id']

export const METRIC_FREQUENCIES = [
  { id: 'monthly', label: 'Monthly' },
  { id: 'quarterly', label: 'Quarterly' },
  { id: 'annually', label: 'Annually' },
  { id: 'once', label: 'Once' },
] as const
export type MetricFrequency = (typeof METRIC_FREQUENCIES)[number]['id']

export const DISAGGREGATIONS = [
  { id: 'race', label: 'Race' },
  { id: 'ethnicity', label: 'Ethnicity' },
  { id: 'gender', label: 'Gender' },
  { id: 'income', label: 'Income' },
  { id: 'geography', label: 'Geography' },
] as const
export type Disaggregation = (typeof DISAGGREGATIONS)[number]['id']

export const LABOR_PRACTICES = [
  { id: 'prevailingWage', label: 'Prevailing wage' },
  { id: 'projectLaborAgreement', label: 'Project labor agreement' },
  { id: 'communityBenefitsAgreement', label: 'Community benefits agreement' },
  { id: 'localHire', label: 'Local hire' },
  { id: 'registeredApprenticeship', label: 'Registered apprenticeship' },
] as const
export type LaborPractice = (typeof LABOR_PRACTICES)[number]['id']

/** The ids of a catalog list, as a non-empty tuple for z.enum. */
export function idsOf<L extends readonly [{ id: string }, ...Array<{ id: string }>]>(
  list: L,
): [L[number]['id'], ...Array<L[number]['id']>] {
  return list.map((item) => item.id) as [L[number]['id'], ...Array<L[number]['id']>]
}

/** The label of an id in a catalog list (the id itself when unknown). */
export function labelOf(list: ReadonlyArray<{ id: string; label: string }>, id: string): string {
  return list.find((item) => item.id === id)?.label ?? id
}
