import { type ComponentId, type LaborPractice, newId, type PlanModel, type SectionId } from '@lever/shared'
import * as Y from 'yjs'
import type { NewTemplate, TemplateService } from '../domain/templates.ts'

/**
 * The two templates Lever ships, written for the program's curriculum: a whole action plan's
 * skeleton (the strategy and equity sections and one starter initiative per lever, each with the
 * questions the curriculum asks) and a procurement initiative that writes job-quality standards
 * into contracts. Created once per database (found again by their seed key); facilitators edit
 * them like any other template.
 */

function paragraph(text: string, format?: Record<string, unknown>): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  t.insert(0, text, format)
  p.insert(0, [t])
  return p
}

function bullets(items: readonly string[]): Y.XmlElement {
  const list = new Y.XmlElement('bulletList')
  list.insert(
    0,
    items.map((item) => {
      const li = new Y.XmlElement('listItem')
      li.insert(0, [paragraph(item)])
      return li
    }),
  )
  return list
}

function prose(fragment: Y.XmlFragment, intro: string, prompts: readonly string[]): void {
  fragment.insert(fragment.length, [paragraph(intro, { italic: true }), bullets(prompts)])
}

const SECTION_PROMPTS: Record<SectionId, { intro: string; prompts: string[] }> = {
  problem: {
    intro: 'Replace these prompts with your answers.',
    prompts: [
      'Which workers and jobs in your jurisdiction does this plan aim to improve?',
      'What do wages, benefits, schedules and turnover look like for them today, and where does that data come from?',
      'Where do historical and current discrimination show up in who holds good jobs here?',
    ],
  },
  jobQualityDefinition: {
    intro: 'Adopt a definition of a good job, building on the eight components of job quality.',
    prompts: [
      'Which components matter most for your workers: wages, benefits, scheduling, safety and security, learning and career development, voice and representation, environment and culture, purpose and dignity?',
      'Who adopted or will adopt the definition, and how will agencies and partners use it?',
    ],
  },
  theoryOfChange: {
    intro: 'Lay out how your work leads to better jobs: inputs → activities → outputs → outcomes → impact.',
    prompts: [
      'Which levers (procurement, HR practices, policy, empowerment) will you use, and why those?',
      'Which recovery funds (SLFRF, IIJA) and other resources pay for the work?',
      'What has to be true for the activities to produce the outcomes you expect?',
    ],
  },
  equityPopulations: {
    intro: 'Name the populations historically underserved that this plan focuses on.',
    prompts: [
      'Which groups, neighbourhoods or occupations, and what evidence shows the gap?',
      'How were these populations involved in choosing the focus?',
    ],
  },
  equityAccess: {
    intro: 'Say how you will check who gets access and who benefits.',
    prompts: [
      'Which measures will you disaggregate (race, ethnicity, gender, income, geography)?',
      'How often will you look, and what will you do when a gap appears?',
    ],
  },
  communityEngagement: {
    intro: 'Describe how workers, residents and employers shape and review the plan.',
    prompts: [
      'Who is at the table (worker organisations, unions, employers, community groups)?',
      'How will you report back to them on progress?',
    ],
  },
}

const LEVER_STARTERS: Array<{ lever: string; title: string; prompts: string[]; components: ComponentId[] }> = [
  {
    lever: 'procurement',
    title: 'Procurement: reward job quality in awards and contracts',
    prompts: [
      'Which solicitations, grants or contracts funded by recovery money could carry job-quality standards?',
      'How will bids be scored on wages, benefits, scheduling and training, and how will evidence of effectiveness count?',
      'Who monitors compliance after award, with what data?',
    ],
    components: ['wages', 'benefits'],
  },
  {
    lever: 'hrPractices',
    title: 'HR practices: lead by example as an employer',
    prompts: [
      'Which of your own job classes fall short of your job-quality definition?',
      'What changes to recruiting, hiring, pay, scheduling, training or advancement would close the gap?',
      'Who in HR, budget and labor relations must agree?',
    ],
    components: ['learning', 'culture'],
  },
  {
    lever: 'policy',
    title: 'Policy: change the rules that shape job quality',
    prompts: [
      'Which local, state or federal policy would most improve job quality for your focus populations?',
      'What research, allies and networks will you use to move it?',
    ],
    components: ['wages', 'scheduling'],
  },
  {
    lever: 'empowerment',
    title: 'Empowerment: equip workers and businesses',
    prompts: [
      'How will workers learn about their rights and have a voice in decisions that affect them?',
      'How will employers, especially small businesses, get help to offer better jobs?',
    ],
    components: ['voice', 'purpose'],
  },
]

function fillActionPlan(model: PlanModel): void {
  for (const [id, { intro, prompts }] of Object.entries(SECTION_PROMPTS) as Array<
    [SectionId, { intro: string; prompts: string[] }]
  >) {
    prose(model.section(id), intro, prompts)
  }
  for (const starter of LEVER_STARTERS) {
    const initiative = model.addInitiative(starter.lever, { title: starter.title })
    for (const c of starter.components) initiative.setComponent(c, true)
    const description = initiative.description
    if (description) prose(description, 'Replace these prompts with your initiative.', starter.prompts)
    const metric = initiative.metrics.add(newId())
    metric.setType('outcome')
    metric.text('name')?.insert(0, 'An outcome for workers (name it, set its baseline and target)')
    for (const by of ['race', 'gender', 'income'] as const) metric.setDisaggregation(by, true)
    const milestone = initiative.milestones.add(newId())
    milestone.title?.insert(0, 'First milestone (name it and give it a date)')
  }
}

const CONTRACT_STANDARDS = [
  'A wage floor for workers on the contract (e.g. a local living wage or the prevailing wage where it applies).',
  'Employer-paid health coverage and paid leave, or their cash equivalent.',
  'Predictable schedules: advance notice of shifts and a minimum of hours.',
  'Safety training and a way to report hazards and harassment without retaliation.',
  'Training or registered apprenticeship slots, with local hire goals for the populations this plan focuses on.',
  'Reporting on wages, hours, turnover and workforce demographics, disaggregated, as a condition of payment.',
]

function fillProcurementInitiative(model: PlanModel): void {
  const initiative = model.addInitiative('procurement', { title: 'Job-quality standards in public contracts' })
  const components: ComponentId[] = ['wages', 'benefits', 'scheduling', 'safety', 'learning']
  for (const c of components) initiative.setComponent(c, true)
  const practices: LaborPractice[] = ['prevailingWage', 'localHire', 'registeredApprenticeship']
  for (const p of practices) initiative.setLaborPractice(p, true)
  const description = initiative.description
  if (description) {
    description.insert(0, [
      paragraph(
        'Write job-quality standards into solicitations and contracts paid for with recovery funds, score bids on them, and hold contractors to them after award. Keep the standards that fit your market and your job-quality definition; delete the rest.',
      ),
      paragraph('Standards to consider for the solicitation and the contract:', { italic: true }),
      bullets(CONTRACT_STANDARDS),
      paragraph(
        'Scoring: give job-quality commitments a stated share of the evaluation points, and say how they are verified.',
        {
          italic: true,
        },
      ),
    ])
  }
  initiative
    .text('partners')
    ?.insert(0, 'Procurement office, contracting agencies, workforce board, worker organisations')
  initiative
    .text('risks')
    ?.insert(0, 'Fewer bidders or higher prices at first; small and minority-owned businesses may need help to comply.')
  const metrics: Array<{ name: string; type: 'output' | 'outcome' | 'impact'; source: string }> = [
    {
      name: 'Share of eligible contract dollars awarded with job-quality standards',
      type: 'output',
      source: 'Procurement records',
    },
    {
      name: 'Median hourly wage of workers on covered contracts',
      type: 'outcome',
      source: 'Certified payroll or contractor reports',
    },
    {
      name: 'Workers on covered contracts still employed after 12 months',
      type: 'outcome',
      source: 'Contractor reports',
    },
  ]
  for (const m of metrics) {
    const metric = initiative.metrics.add(newId())
    metric.text('name')?.insert(0, m.name)
    metric.setType(m.type)
    metric.text('dataSource')?.insert(0, m.source)
    if (m.type !== 'outcome') continue
    for (const by of ['race', 'gender', 'geography'] as const) metric.setDisaggregation(by, true)
  }
  const milestones = [
    'Draft the standards and the scoring criteria with the procurement office',
    'Consult contractors, workers and their organisations on the draft',
    'Use the standards in a first solicitation',
    'Review the first compliance reports and adjust',
  ]
  for (const title of milestones) initiative.milestones.add(newId()).title?.insert(0, title)
}

const SEEDED: Array<NewTemplate & { seedKey: string }> = [
  {
    seedKey: 'action-plan-skeleton',
    kind: 'plan',
    title: 'Job-quality action plan',
    description:
      'A whole action plan to start from: the strategy and equity sections with the questions the curriculum asks, and a starter initiative for each of the four levers.',
    fill: fillActionPlan,
  },
  {
    seedKey: 'procurement-job-quality-standards',
    kind: 'initiative',
    title: 'Job-quality standards in public contracts',
    description:
      'A procurement initiative: job-quality standards written into solicitations and contracts, scored at award and monitored after, with metrics and milestones.',
    fill: fillProcurementInitiative,
  },
]

/** Creates the shipped templates a database does not have yet; returns how many were created. */
export async function seedTemplates(templates: TemplateService): Promise<number> {
  let created = 0
  for (const template of SEEDED) {
    if (await templates.bySeedKey(template.seedKey)) continue
    // Another server starting on the same database may create it meanwhile: then this adds nothing.
    if ((await templates.add(template)).created) created += 1
  }
  return created
}
