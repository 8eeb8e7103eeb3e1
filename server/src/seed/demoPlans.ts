import type { ComponentId, EvidenceTier, InitiativeStatus, MetricType } from '@lever/shared'

/**
 * What the demo plans hold (DEMO=1): realistic plans in progress for the coach's three
 * jurisdictions, initiatives across the levers with funding, metrics and milestones. Dates are
 * given in days from the day the demo is seeded, so the plan stays "in progress" whenever it is
 * opened. Amounts are dollars.
 */
export interface DemoInitiative {
  lever: string
  title: string
  description: string
  owner: string
  partners: string
  status: InitiativeStatus
  start: number
  due: number
  components: ComponentId[]
  funding: Array<{
    source: 'slfrf' | 'iija' | 'local'
    program: string
    category?: string
    budgeted: number
    obligated?: number
    spent?: number
    obligatedBy?: string
    spentBy?: string
  }>
  evidence: { tier: EvidenceTier; citation: string; evaluationDesign?: string }
  metrics: Array<{ name: string; type: MetricType; baseline: string; target: string; dataSource: string }>
  milestones: Array<{ title: string; due: number; done?: boolean }>
}

export interface DemoPlan {
  jurisdictionId: string
  title: string
  targets: ComponentId[]
  sections: Partial<Record<'problem' | 'jobQualityDefinition' | 'theoryOfChange' | 'equityPopulations', string>>
  initiatives: DemoInitiative[]
  /** Coach comments on initiatives (by index); `mentionMember` @mentions the team's second member. */
  comments: Array<{ initiative: number; body: string; mentionMember?: boolean; replyByLead?: string }>
}

export const DEMO_PLANS: DemoPlan[] = [
  {
    jurisdictionId: 'baltimore-county-md',
    title: 'Good jobs in county contracting 2025–2027',
    targets: ['wages', 'benefits', 'learning'],
    sections: {
      problem:
        'One in four workers on county-funded service contracts earns under $17 an hour, and turnover in janitorial and food-service contracts runs above 60% a year.',
      jobQualityDefinition:
        'A good job pays at least the county living wage, offers health coverage and paid leave, gives predictable schedules and a path to a better job.',
      theoryOfChange:
        'If county contracts reward wages, benefits and training, contractors compete on job quality; workers stay longer and services improve.',
      equityPopulations: 'Black and Latino workers in service contracts, and residents returning from incarceration.',
    },
    initiatives: [
      {
        lever: 'procurement',
        title: 'Job-quality scoring in service contracts',
        description: 'Award up to 15 points for wages, benefits and training in janitorial and food-service bids.',
        owner: 'Office of Budget and Finance, Purchasing',
        partners: 'SEIU 32BJ, Baltimore County Workforce Development Board',
        status: 'onTrack',
        start: -200,
        due: 300,
        components: ['wages', 'benefits'],
        funding: [
          {
            source: 'slfrf',
            program: 'County ARPA allocation',
            category: '3.4',
            budgeted: 450000,
            obligated: 450000,
            spent: 210000,
            obligatedBy: '2024-11-15',
            spentBy: '2026-10-31',
          },
        ],
        evidence: { tier: 'moderate', citation: 'Results for America, job-quality procurement brief (2023)' },
        metrics: [
          {
            name: 'Median hourly wage on scored contracts',
            type: 'outcome',
            baseline: '$15.80',
            target: '$19.00',
            dataSource: 'Certified payroll reports',
          },
        ],
        milestones: [
          { title: 'Scoring rubric adopted', due: -120, done: true },
          { title: 'First scored awards', due: 20 },
        ],
      },
      {
        lever: 'hrPractices',
        title: 'Registered apprenticeships for county trades',
        description: 'Twenty apprentices a year in facilities maintenance, with a guaranteed job at completion.',
        owner: 'Office of Human Resources',
        partners: 'Community College of Baltimore County',
        status: 'atRisk',
        start: -90,
        due: 400,
        components: ['learning', 'wages'],
        funding: [
          {
            source: 'slfrf',
            program: 'County ARPA allocation',
            category: '2.10',
            budgeted: 600000,
            obligated: 380000,
            spent: 120000,
            obligatedBy: '2024-12-20',
          },
          { source: 'local', program: 'General fund', budgeted: 150000 },
        ],
        evidence: {
          tier: 'evidenceBuilding',
          citation: 'US DOL apprenticeship evidence review',
          evaluationDesign: 'Compare retention and wages of apprentices with entry-level hires of 2022-2023.',
        },
        metrics: [
          {
            name: 'Apprentices completing',
            type: 'output',
            baseline: '0',
            target: '20 a year',
            dataSource: 'HR information system',
          },
        ],
        milestones: [{ title: 'First cohort starts', due: 10 }],
      },
      {
        lever: 'policy',
        title: 'Living-wage ordinance update',
        description: 'Extend the living-wage law to subcontractors and index it to inflation.',
        owner: 'County Council liaison',
        partners: 'Job Opportunities Task Force',
        status: 'notStarted',
        start: 30,
        due: 500,
        components: ['wages'],
        funding: [],
        evidence: { tier: 'preliminary', citation: 'UC Berkeley Labor Center living-wage studies' },
        metrics: [],
        milestones: [],
      },
    ],
    comments: [
      {
        initiative: 1,
        body: 'About $260,000 of SLFRF is obligated but not spent: what is the plan to spend it before the end of 2026?',
        mentionMember: true,
      },
      {
        initiative: 0,
        body: 'Strong rubric. Could you add an outcome metric on turnover as well as wages?',
        replyByLead: 'Yes, we will add contractor turnover from the quarterly reports.',
      },
    ],
  },
  {
    jurisdictionId: 'atlanta-ga',
    title: 'Atlanta good jobs action plan',
    targets: ['wages', 'scheduling', 'voice', 'safety'],
    sections: {
      problem:
        'Hospitality and logistics jobs rebounded after 2021, but schedules posted with less than a week of notice are common and injury rates in warehouses are twice the national average.',
      jobQualityDefinition:
        'Good jobs pay a living wage, post schedules two weeks ahead, are safe, and let workers raise concerns without fear.',
    },
    initiatives: [
      {
        lever: 'empowerment',
        title: 'Worker centre grants for warehouse safety',
        description: 'Grants to two worker centres to train warehouse workers on safety rights and report hazards.',
        owner: 'Invest Atlanta, Workforce team',
        partners: 'Georgia Stand-Up, Atlanta Regional Commission',
        status: 'onTrack',
        start: -60,
        due: 360,
        components: ['safety', 'voice'],
        funding: [
          {
            source: 'slfrf',
            program: 'City ARPA allocation',
            category: '2.36',
            budgeted: 300000,
            obligated: 300000,
            spent: 90000,
            obligatedBy: '2024-10-01',
            spentBy: '2026-12-15',
          },
        ],
        evidence: {
          tier: 'evidenceBuilding',
          citation: 'OSHA Susan Harwood training grants',
          evaluationDesign: 'Track hazard reports and injury logs at participating sites against a comparison group.',
        },
        metrics: [
          {
            name: 'Workers trained',
            type: 'output',
            baseline: '0',
            target: '1,200',
            dataSource: 'Grantee reports',
          },
        ],
        milestones: [{ title: 'Grant agreements signed', due: -30, done: true }],
      },
      {
        lever: 'procurement',
        title: 'Fair scheduling standard for airport concessions',
        description: 'Require two weeks of schedule notice in new concession leases at the airport.',
        owner: 'Department of Aviation',
        partners: 'UNITE HERE Local 23',
        status: 'notStarted',
        start: 45,
        due: 420,
        components: ['scheduling'],
        funding: [{ source: 'local', program: 'Aviation operating budget', budgeted: 80000 }],
        evidence: { tier: 'moderate', citation: 'Shift Project, scheduling and worker well-being' },
        metrics: [],
        milestones: [{ title: 'Lease language drafted', due: 90 }],
      },
    ],
    comments: [{ initiative: 1, body: 'Who will check that concessions post schedules on time?', mentionMember: true }],
  },
  {
    jurisdictionId: 'boulder-co',
    title: 'Boulder job quality plan',
    targets: ['learning', 'culture', 'purpose'],
    sections: {
      problem: 'The city loses a third of new hires in their first year; exit interviews cite few paths to promotion.',
      theoryOfChange:
        'Career ladders and mentoring in city departments raise retention, which improves services for residents.',
    },
    initiatives: [
      {
        lever: 'hrPractices',
        title: 'Career ladders in public works',
        description: 'Paid training hours and three promotion steps for maintenance workers.',
        owner: 'Human Resources',
        partners: 'Front Range Community College',
        status: 'onTrack',
        start: -150,
        due: 250,
        components: ['learning', 'culture'],
        funding: [
          {
            source: 'iija',
            program: 'Surface Transportation Block Grant workforce set-aside',
            budgeted: 220000,
            obligated: 220000,
            spent: 60000,
          },
        ],
        evidence: { tier: 'strong', citation: 'Year Up randomised evaluation (career pathways)' },
        metrics: [
          {
            name: 'First-year retention in public works',
            type: 'outcome',
            baseline: '66%',
            target: '80%',
            dataSource: 'HR information system',
          },
        ],
        milestones: [
          { title: 'Ladder steps agreed with the union', due: -40, done: true },
          { title: 'First promotions', due: 5 },
        ],
      },
      {
        lever: 'policy',
        title: 'Regional good-jobs compact',
        description: 'Ask neighbouring cities and the county to adopt the same job-quality definition.',
        owner: 'City Manager’s Office',
        partners: 'Boulder County, Longmont',
        status: 'notStarted',
        start: 60,
        due: 400,
        components: ['purpose'],
        funding: [],
        evidence: { tier: 'preliminary', citation: 'Aspen Institute job-quality compacts' },
        metrics: [],
        milestones: [],
      },
    ],
    comments: [{ initiative: 0, body: 'Nice progress. Is the IIJA money spent on training hours or on wages?' }],
  },
]

/** Names of each team's second member, by jurisdiction index (first names differ, so initials do too). */
export const SECOND_MEMBERS = [
  'Dana Ortiz',
  'Malik Johnson',
  'Priya Raman',
  'Ellen Novak',
  'Tomás Reyes',
  'Grace Kim',
  'Owen Hart',
  'Nia Brooks',
  'Sam Whitfield',
  'Rosa Medina',
  'Ken Watanabe',
  'Amara Okafor',
  'Luis Carrillo',
  'Hannah Berg',
  'Isaac Levi',
  'Jade Thompson',
  'Victor Alvarez',
  'Wendy Zhou',
  'Yusuf Ali',
  'Zoe Fischer',
]
