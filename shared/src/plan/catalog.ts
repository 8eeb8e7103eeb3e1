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
  {
    id: 'wages',
    short: 'Wages',
    label: 'Wages',
    group: 'necessities',
    description: 'Enough to live on, stable and predictable.',
  },
  {
    id: 'benefits',
    short: 'Benefits',
    label: 'Benefits',
    group: 'necessities',
    description: 'Health coverage, retirement, paid leave.',
  },
  {
    id: 'scheduling',
    short: 'Schedule',
    label: 'Scheduling',
    group: 'necessities',
    description: 'Predictable hours, enough of them, some control.',
  },
  {
    id: 'safety',
    short: 'Safety',
    label: 'Safety and security',
    group: 'necessities',
    description: 'Physically and psychologically safe, free of harassment, stable.',
  },
  {
    id: 'learning',
    short: 'Learning',
    label: 'Learning and career development',
    group: 'opportunities',
    description: 'Training, credentials, career pathways.',
  },
  {
    id: 'voice',
    short: 'Voice',
    label: 'Voice and representation',
    group: 'opportunities',
    description: 'Raising concerns and influencing decisions, unions, ownership.',
  },
  {
    id: 'culture',
    short: 'Culture',
    label: 'Environment and culture',
    group: 'features',
    description: 'Respectful, inclusive, supportive management.',
  },
  {
    id: 'purpose',
    short: 'Purpose',
    label: 'Purpose and dignity',
    group: 'features',
    description: 'Work that is valued and feels worth doing.',
  },
] as const satisfies ReadonlyArray<{
  id: string
  /** A short header for narrow tables (the label stays the accessible name). */
  short: string
  label: string
  group: ComponentGroupId
  description: string
}>
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

/**
 * The groups of SLFRF expenditure categories (the summary level, "EC 1" … "EC 7") of Treasury's
 * 2022 final rule, as its Compliance and Reporting Guidance numbers them.
 */
export const SLFRF_CATEGORY_GROUPS = [
  { id: '1', label: 'Public Health' },
  { id: '2', label: 'Negative Economic Impacts' },
  { id: '3', label: 'Public Health-Negative Economic Impact: Public Sector Capacity' },
  { id: '4', label: 'Premium Pay' },
  { id: '5', label: 'Infrastructure' },
  { id: '6', label: 'Revenue Replacement' },
  { id: '7', label: 'Administrative' },
] as const
export type SlfrfCategoryGroup = (typeof SLFRF_CATEGORY_GROUPS)[number]['id']

/**
 * Every SLFRF expenditure category of the final rule (1.1-7.2), with Treasury's names. The
 * workforce-relevant ones the program points teams to are flagged `workforce` (see the domain brief:
 * 2.10, 2.11-2.14, 2.29-2.33, 3.1-3.5, 4.1/4.2, 6.1, 7.1).
 */
export const SLFRF_CATEGORIES = [
  { id: '1.1', group: '1', label: 'COVID-19 Vaccination' },
  { id: '1.2', group: '1', label: 'COVID-19 Testing' },
  { id: '1.3', group: '1', label: 'COVID-19 Contact Tracing' },
  {
    id: '1.4',
    group: '1',
    label:
      'Prevention in Congregate Settings (Nursing Homes, Prisons/Jails, Dense Work Sites, Schools, Child Care Facilities, etc.)',
  },
  { id: '1.5', group: '1', label: 'Personal Protective Equipment' },
  { id: '1.6', group: '1', label: 'Medical Expenses (including Alternative Care Facilities)' },
  {
    id: '1.7',
    group: '1',
    label: 'Other COVID-19 Public Health Expenses (including Communications, Enforcement, Isolation/Quarantine)',
  },
  { id: '1.8', group: '1', label: 'COVID-19 Assistance to Small Businesses' },
  { id: '1.9', group: '1', label: 'COVID-19 Assistance to Non-Profits' },
  { id: '1.10', group: '1', label: 'COVID-19 Aid to Impacted Industries' },
  { id: '1.11', group: '1', label: 'Community Violence Interventions' },
  { id: '1.12', group: '1', label: 'Mental Health Services' },
  { id: '1.13', group: '1', label: 'Substance Use Services' },
  { id: '1.14', group: '1', label: 'Other Public Health Services' },
  { id: '2.1', group: '2', label: 'Household Assistance: Food Programs' },
  { id: '2.2', group: '2', label: 'Household Assistance: Rent, Mortgage, and Utility Aid' },
  { id: '2.3', group: '2', label: 'Household Assistance: Cash Transfers' },
  { id: '2.4', group: '2', label: 'Household Assistance: Internet Access Programs' },
  { id: '2.5', group: '2', label: 'Household Assistance: Paid Sick and Medical Leave' },
  { id: '2.6', group: '2', label: 'Household Assistance: Health Insurance' },
  { id: '2.7', group: '2', label: 'Household Assistance: Services for Un/Underbanked' },
  { id: '2.8', group: '2', label: 'Household Assistance: Survivor’s Benefits' },
  { id: '2.9', group: '2', label: 'Unemployment Benefits or Cash Assistance to Unemployed Workers' },
  {
    id: '2.10',
    group: '2',
    label:
      'Assistance to Unemployed or Underemployed Workers (e.g. job training, subsidized employment, employment supports or incentives)',
    workforce: true,
  },
  { id: '2.11', group: '2', label: 'Healthy Childhood Environments: Child Care', workforce: true },
  { id: '2.12', group: '2', label: 'Healthy Childhood Environments: Home Visiting', workforce: true },
  {
    id: '2.13',
    group: '2',
    label: 'Healthy Childhood Environments: Services to Foster Youth or Families Involved in Child Welfare System',
    workforce: true,
  },
  { id: '2.14', group: '2', label: 'Healthy Childhood Environments: Early Learning', workforce: true },
  { id: '2.15', group: '2', label: 'Long-term Housing Security: Affordable Housing' },
  { id: '2.16', group: '2', label: 'Long-term Housing Security: Services for Unhoused Persons' },
  {
    id: '2.17',
    group: '2',
    label: 'Housing Support: Housing Vouchers and Relocation Assistance for Disproportionately Impacted Communities',
  },
  { id: '2.18', group: '2', label: 'Housing Support: Other Housing Assistance' },
  { id: '2.19', group: '2', label: 'Social Determinants of Health: Community Health Workers or Benefits Navigators' },
  { id: '2.20', group: '2', label: 'Social Determinants of Health: Lead Remediation' },
  { id: '2.21', group: '2', label: 'Medical Facilities for Disproportionately Impacted Communities' },
  { id: '2.22', group: '2', label: 'Strong Healthy Communities: Neighborhood Features that Promote Health and Safety' },
  { id: '2.23', group: '2', label: 'Strong Healthy Communities: Demolition and Rehabilitation of Properties' },
  { id: '2.24', group: '2', label: 'Addressing Educational Disparities: Aid to High-Poverty Districts' },
  { id: '2.25', group: '2', label: 'Addressing Educational Disparities: Academic, Social, and Emotional Services' },
  { id: '2.26', group: '2', label: 'Addressing Educational Disparities: Mental Health Services' },
  { id: '2.27', group: '2', label: 'Addressing Impacts of Lost Instructional Time' },
  { id: '2.28', group: '2', label: 'Contributions to UI Trust Funds' },
  { id: '2.29', group: '2', label: 'Loans or Grants to Mitigate Financial Hardship', workforce: true },
  { id: '2.30', group: '2', label: 'Technical Assistance, Counseling, or Business Planning', workforce: true },
  { id: '2.31', group: '2', label: 'Rehabilitation of Commercial Properties or Other Improvements', workforce: true },
  { id: '2.32', group: '2', label: 'Business Incubators and Start-Up or Expansion Assistance', workforce: true },
  { id: '2.33', group: '2', label: 'Enhanced Support to Microbusinesses', workforce: true },
  {
    id: '2.34',
    group: '2',
    label: 'Assistance to Impacted Nonprofit Organizations (Impacted or Disproportionately Impacted)',
  },
  { id: '2.35', group: '2', label: 'Aid to Tourism, Travel, or Hospitality' },
  { id: '2.36', group: '2', label: 'Aid to Other Impacted Industries' },
  { id: '2.37', group: '2', label: 'Economic Impact Assistance: Other' },
  {
    id: '3.1',
    group: '3',
    label: 'Public Sector Workforce: Payroll and Benefits for Public Health, Public Safety, or Human Services Workers',
    workforce: true,
  },
  { id: '3.2', group: '3', label: 'Public Sector Workforce: Rehiring Public Sector Staff', workforce: true },
  { id: '3.3', group: '3', label: 'Public Sector Workforce: Other', workforce: true },
  { id: '3.4', group: '3', label: 'Public Sector Capacity: Effective Service Delivery', workforce: true },
  { id: '3.5', group: '3', label: 'Public Sector Capacity: Administrative Needs', workforce: true },
  { id: '4.1', group: '4', label: 'Public Sector Employees', workforce: true },
  { id: '4.2', group: '4', label: 'Private Sector: Grants to Other Employers', workforce: true },
  { id: '5.1', group: '5', label: 'Clean Water: Centralized Wastewater Treatment' },
  { id: '5.2', group: '5', label: 'Clean Water: Centralized Wastewater Collection and Conveyance' },
  { id: '5.3', group: '5', label: 'Clean Water: Decentralized Wastewater' },
  { id: '5.4', group: '5', label: 'Clean Water: Combined Sewer Overflows' },
  { id: '5.5', group: '5', label: 'Clean Water: Other Sewer Infrastructure' },
  { id: '5.6', group: '5', label: 'Clean Water: Stormwater' },
  { id: '5.7', group: '5', label: 'Clean Water: Energy Conservation' },
  { id: '5.8', group: '5', label: 'Clean Water: Water Conservation' },
  { id: '5.9', group: '5', label: 'Clean Water: Nonpoint Source' },
  { id: '5.10', group: '5', label: 'Drinking Water: Treatment' },
  { id: '5.11', group: '5', label: 'Drinking Water: Transmission & Distribution' },
  { id: '5.12', group: '5', label: 'Drinking Water: Lead Remediation, including in Schools and Daycares' },
  { id: '5.13', group: '5', label: 'Drinking Water: Source' },
  { id: '5.14', group: '5', label: 'Drinking Water: Storage' },
  { id: '5.15', group: '5', label: 'Drinking Water: Other Water Infrastructure' },
  { id: '5.16', group: '5', label: 'Water and Sewer: Private Wells' },
  { id: '5.17', group: '5', label: 'Water and Sewer: IIJA Bureau of Reclamation Match' },
  { id: '5.18', group: '5', label: 'Water and Sewer: Other' },
  { id: '5.19', group: '5', label: 'Broadband: “Last Mile” Projects' },
  { id: '5.20', group: '5', label: 'Broadband: IIJA Match' },
  { id: '5.21', group: '5', label: 'Broadband: Other Projects' },
  { id: '6.1', group: '6', label: 'Provision of Government Services', workforce: true },
  { id: '6.2', group: '6', label: 'Non-federal Match for Other Federal Programs' },
  { id: '7.1', group: '7', label: 'Administrative Expenses', workforce: true },
  { id: '7.2', group: '7', label: 'Transfers to Other Units of Government' },
] as const satisfies ReadonlyArray<{ id: string; group: SlfrfCategoryGroup; label: string; workforce?: boolean }>
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
