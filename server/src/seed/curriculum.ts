/**
 * The program's curriculum as the default calendar, seeded once on an empty database so the
 * facilitator has something to edit: phase 1 (June-Nov 2022) and the four phase-2 lever sessions
 * (Jan 2023 - Mar 2024). Each is a 90-minute monthly session with pre-work.
 */
export interface CurriculumSession {
  title: string
  topic: string
  phase: 'phase1' | 'phase2'
  startsAt: string
  agenda: string
  prework: string
  focus: string[]
}

const agenda = (topic: string) =>
  [
    `Welcome and check-in (10 min)`,
    `Presentation: ${topic} (25 min)`,
    `Breakout groups: draft together (35 min)`,
    `Report back and next steps (20 min)`,
  ].join('\n')

export const CURRICULUM: CurriculumSession[] = [
  {
    title: 'Strategy: adopting a job-quality definition',
    topic: 'Strategy',
    phase: 'phase1',
    startsAt: '2022-06-15T17:00:00Z',
    agenda: agenda('what a good job is, and how jurisdictions define it'),
    prework: 'Draft the problem and baseline for your jurisdiction, and bring a first job-quality definition.',
    focus: ['section:problem', 'section:jobQualityDefinition'],
  },
  {
    title: 'Equity at the centre',
    topic: 'Equity',
    phase: 'phase1',
    startsAt: '2022-07-20T17:00:00Z',
    agenda: agenda('who is underserved, and how to check access and outcomes'),
    prework: 'Name the populations your plan focuses on and how you will know whether they benefit.',
    focus: ['section:equityPopulations', 'section:equityAccess', 'section:communityEngagement'],
  },
  {
    title: 'Measurement, data and evidence',
    topic: 'Measurement/Data/Evidence',
    phase: 'phase1',
    startsAt: '2022-08-17T17:00:00Z',
    agenda: agenda('logic models, metrics, and evidence tiers'),
    prework: 'For one initiative, write an outcome metric with a baseline, target and data source.',
    focus: ['section:theoryOfChange'],
  },
  {
    title: 'Leading by example',
    topic: 'Leading by Example',
    phase: 'phase1',
    startsAt: '2022-09-21T17:00:00Z',
    agenda: agenda('the government as an employer'),
    prework: 'List one practice your own agency could change for its staff.',
    focus: ['lever:hrPractices'],
  },
  {
    title: 'Action planning',
    topic: 'Action Planning',
    phase: 'phase1',
    startsAt: '2022-10-19T17:00:00Z',
    agenda: agenda('turning strategy into initiatives, owners and dates'),
    prework: 'Make sure each initiative has an owner, dates and a status.',
    focus: ['section:theoryOfChange'],
  },
  {
    title: 'Lever 1: Procurement',
    topic: 'Procurement',
    phase: 'phase2',
    startsAt: '2023-01-18T17:00:00Z',
    agenda: agenda('awards and contracts that reward job quality'),
    prework: 'Find one upcoming contract where job-quality criteria could apply.',
    focus: ['lever:procurement'],
  },
  {
    title: 'Lever 2: HR practices',
    topic: 'HR practices',
    phase: 'phase2',
    startsAt: '2023-05-17T17:00:00Z',
    agenda: agenda("recruiting, supporting and advancing the government's own staff"),
    prework: 'Bring one HR practice that affects job quality for your own workforce.',
    focus: ['lever:hrPractices'],
  },
  {
    title: 'Lever 3: Policy',
    topic: 'Policy',
    phase: 'phase2',
    startsAt: '2023-09-20T17:00:00Z',
    agenda: agenda('research, influence and networks for policy change'),
    prework: 'Identify one local, state or federal policy your plan depends on.',
    focus: ['lever:policy'],
  },
  {
    title: 'Lever 4: Empowerment',
    topic: 'Empowerment',
    phase: 'phase2',
    startsAt: '2024-01-17T17:00:00Z',
    agenda: agenda('educating and organising workers and businesses'),
    prework: 'Name the worker and employer organisations your plan should involve.',
    focus: ['lever:empowerment'],
  },
]
