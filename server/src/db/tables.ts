import type { Generated } from 'kysely'

/**
 * Every table but the document log, as the typed query layer (`queries.ts`) sees it, for SQLite
 * (`migrations.ts`) and PostgreSQL (`storage/postgresSchema.ts`, version 2) alike. Flags are
 * integers 0/1 and times are ISO text or epoch milliseconds, in both. `Generated` marks columns
 * with a default (an insert may leave them out). Change this with every migration that changes a
 * table, in both dialects: `tables.test.ts` compares it with the migrated SQLite schema.
 */

export interface BreakoutGroupsTable {
  id: string
  session_id: string
  name: string
  prompt: string
  draft_id: string
  removed: Generated<number>
}

export interface BreakoutMembersTable {
  group_id: string
  user_id: string
  added_at: string
  current: Generated<number>
}

export interface CoachAssignmentsTable {
  coach_id: string
  jurisdiction_id: string
}

export interface CoachingAllowancesTable {
  phase: string
  allowance_minutes: number
  updated_by: string | null
  updated_at: string
}

export interface CoachingSessionsTable {
  id: string
  jurisdiction_id: string
  coach_id: string
  held_on: string
  minutes: number
  phase: string
  topic_levers: Generated<string>
  topic_components: Generated<string>
  notes: Generated<string>
  follow_ups: Generated<string>
  created_at: string
  updated_at: string
}

export interface CoachingSettingsTable {
  id: number
  current_phase: string
}

export interface CohortSessionsTable {
  id: string
  title: string
  topic: string
  phase: string
  starts_at: string
  duration_minutes: number
  agenda: string
  prework: string
  focus: string
  status: Generated<string>
  breakouts_open: Generated<number>
  started_at: string | null
  ended_at: string | null
  created_at: string
  updated_at: string
}

export interface CommentNoticesTable {
  plan_id: string
  comment_id: string
}

export interface DocClientsTable {
  doc_name: string
  client_id: number
  user_id: string | null
  first_seen: number
}

export interface DocumentUpgradesTable {
  name: string
}

export interface DraftTransfersTable {
  id: string
  draft_id: string
  session_id: string
  group_id: string
  plan_id: string
  jurisdiction_id: string
  user_id: string
  user_name: string
  kind: string
  summary: string
  target: string
  created_at: string
}

export interface EvidenceEntriesTable {
  id: string
  title: string
  summary: string
  source_name: string
  source_url: string
  rating_scheme: string | null
  rating_value: string | null
  outcome_domains: Generated<string>
  populations: Generated<string>
  components: Generated<string>
  levers: Generated<string>
  suggested_tier: string | null
  checked_on: string | null
  checked_where: string | null
  revision: Generated<number>
  seeded: Generated<number>
  edited: Generated<number>
  created_by: string | null
  updated_by: string | null
  created_at: string
  updated_at: string
}

export interface EvidenceRatingHistoryTable {
  id: Generated<number>
  entry_id: string
  revision: number
  scheme: string | null
  value: string | null
  changed_by: string | null
  changed_at: string
}

export interface InitiativeBorrowsTable {
  id: string
  source_plan_id: string
  source_initiative_id: string
  target_plan_id: string
  target_jurisdiction_id: string
  target_initiative_id: string
  borrowed_by: string | null
  borrowed_at: string
}

export interface InvitesTable {
  token_hash: string
  user_id: string
  created_at: number
  expires_at: number
  used_at: number | null
}

export interface JurisdictionsTable {
  id: string
  name: string
  kind: string
  state: string
  agency: string
}

export interface LibraryResourcesTable {
  id: string
  title: string
  description: Generated<string>
  levers: Generated<string>
  components: Generated<string>
  url: string | null
  file_name: string | null
  file_type: string | null
  file_size: number | null
  file_key: string | null
  created_by: string | null
  updated_by: string | null
  created_at: string
  updated_at: string
}

export interface NoticeBaselinesTable {
  plan_id: string
}

export interface NotificationPrefsTable {
  user_id: string
  mentions: Generated<number>
  replies: Generated<number>
  digest: Generated<number>
  unsubscribe_token: string
  last_digest_at: string | null
}

export interface PlanFiguresTable {
  plan_id: string
  figures_version: number
  status: string
  initiatives: string
  budgeted: number
  obligated: number
  spent: number
  components: string
  warnings: number
  check_ins: string
  check_ins_due: number
  dashboard: string
  computed_at: string
}

export interface PlanVersionsTable {
  id: string
  plan_id: string
  kind: string
  name: string | null
  created_by: string | null
  created_at: number
  authors: Generated<string>
  state: Uint8Array
  state_bytes: number
  snapshot: Uint8Array
  content_key: string | null
}

export interface PlansTable {
  id: string
  jurisdiction_id: string
  title: string
  doc_name: string
  created_by: string | null
  created_at: string
  updated_at: string
  shared_with_cohort: Generated<number>
  template_id: string | null
  template_version: number | null
}

export interface ReportingCalendarTable {
  id: number
  frequency: string
  grace_days: number
  updated_by: string | null
  updated_at: string
}

export interface ReportingReopenedTable {
  period: string
  reopened_by: string | null
  reopened_at: string
}

export interface SearchRowsTable {
  id: Generated<number>
  kind: string
  plan_id: string | null
  jurisdiction_id: string | null
  ref: string
  title: string
  body: string
  audience: string | null
}

export interface SearchStateTable {
  key: string
  value: string
}

export interface SessionAttendanceTable {
  session_id: string
  user_id: string
  joined_at: string
}

export interface SessionsTable {
  token_hash: string
  user_id: string
  created_at: number
  expires_at: number
}

export interface SignInThrottleTable {
  key: string
  points: Generated<number>
  expire: number | null
}

export interface TemplatesTable {
  id: string
  kind: string
  title: string
  description: Generated<string>
  doc_name: string
  version: Generated<number>
  seed_key: string | null
  created_by: string | null
  created_at: string
  updated_at: string
}

export interface ThreadIndexTable {
  plan_id: string
  thread_id: string
  status: string
  author_id: string
  author_name: string
  anchor_label: string
  quote: string
  orphaned: number
  comment_count: number
  created_at: string
  last_comment_at: string
  last_comment_by: string
  excerpt: string
  last_comment_by_name: Generated<string>
  visibility: Generated<string>
}

export interface ThreadMentionsTable {
  plan_id: string
  thread_id: string
  user_id: string
}

export interface ThreadReadsTable {
  user_id: string
  plan_id: string
  thread_id: string
  read_at: string
}

export interface TrustedDevicesTable {
  token_hash: string
  user_id: string
  created_at: number
  last_used_at: number
}

export interface UsersTable {
  id: string
  email: string
  name: string
  role: string
  jurisdiction_id: string | null
  password_hash: string | null
  active: Generated<number>
  created_at: string
  updated_at: string
}

export interface Tables {
  breakout_groups: BreakoutGroupsTable
  breakout_members: BreakoutMembersTable
  coach_assignments: CoachAssignmentsTable
  coaching_allowances: CoachingAllowancesTable
  coaching_sessions: CoachingSessionsTable
  coaching_settings: CoachingSettingsTable
  cohort_sessions: CohortSessionsTable
  comment_notices: CommentNoticesTable
  doc_clients: DocClientsTable
  document_upgrades: DocumentUpgradesTable
  draft_transfers: DraftTransfersTable
  evidence_entries: EvidenceEntriesTable
  evidence_rating_history: EvidenceRatingHistoryTable
  initiative_borrows: InitiativeBorrowsTable
  invites: InvitesTable
  jurisdictions: JurisdictionsTable
  library_resources: LibraryResourcesTable
  notice_baselines: NoticeBaselinesTable
  notification_prefs: NotificationPrefsTable
  plan_figures: PlanFiguresTable
  plan_versions: PlanVersionsTable
  plans: PlansTable
  reporting_calendar: ReportingCalendarTable
  reporting_reopened: ReportingReopenedTable
  search_rows: SearchRowsTable
  search_state: SearchStateTable
  session_attendance: SessionAttendanceTable
  sessions: SessionsTable
  sign_in_throttle: SignInThrottleTable
  templates: TemplatesTable
  thread_index: ThreadIndexTable
  thread_mentions: ThreadMentionsTable
  thread_reads: ThreadReadsTable
  trusted_devices: TrustedDevicesTable
  users: UsersTable
}
