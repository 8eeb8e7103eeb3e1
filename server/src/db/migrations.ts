import type { Database } from 'better-sqlite3'
import * as Y from 'yjs'
import { contentKey } from '../versions/contentKey.ts'

/**
 * The database schema, one migration per version. `PRAGMA user_version` records the version a
 * database is at; `migrate` applies the missing ones in order, each in its own transaction.
 * Never edit a migration that has shipped: add a new one.
 */
export interface Migration {
  version: number
  description: string
  up(db: Database): void
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'document update log',
    up(db) {
      db.exec(`
        CREATE TABLE doc_updates (
          seq        INTEGER PRIMARY KEY AUTOINCREMENT,
          doc_name   TEXT    NOT NULL,
          data       BLOB    NOT NULL,
          created_at INTEGER NOT NULL
        );
        CREATE INDEX doc_updates_by_doc ON doc_updates (doc_name, seq);
      `)
    },
  },
  {
    version: 2,
    description: 'jurisdictions and plans',
    up(db) {
      db.exec(`
        CREATE TABLE jurisdictions (
          id     TEXT PRIMARY KEY,
          name   TEXT NOT NULL,
          kind   TEXT NOT NULL CHECK (kind IN ('state', 'city', 'county')),
          state  TEXT NOT NULL,
          agency TEXT NOT NULL
        );
        CREATE TABLE plans (
          id              TEXT PRIMARY KEY,
          jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions (id),
          title           TEXT NOT NULL,
          doc_name        TEXT NOT NULL UNIQUE,
          created_by      TEXT,
          created_at      TEXT NOT NULL,
          updated_at      TEXT NOT NULL
        );
        CREATE INDEX plans_by_jurisdiction ON plans (jurisdiction_id, created_at);
      `)
    },
  },
  {
    version: 3,
    description: 'people, sessions, invites, coach assignments, plan sharing',
    up(db) {
      db.exec(`
        CREATE TABLE users (
          id              TEXT PRIMARY KEY,
          email           TEXT NOT NULL UNIQUE,
          name            TEXT NOT NULL,
          role            TEXT NOT NULL CHECK (role IN ('facilitator', 'coach', 'member')),
          jurisdiction_id TEXT REFERENCES jurisdictions (id),
          password_hash   TEXT,
          active          INTEGER NOT NULL DEFAULT 1,
          created_at      TEXT NOT NULL,
          updated_at      TEXT NOT NULL
        );
        CREATE TABLE coach_assignments (
          coach_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions (id),
          PRIMARY KEY (coach_id, jurisdiction_id)
        );
        CREATE TABLE sessions (
          token_hash  TEXT PRIMARY KEY,
          user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          created_at  INTEGER NOT NULL,
          expires_at  INTEGER NOT NULL
        );
        CREATE INDEX sessions_by_user ON sessions (user_id);
        CREATE TABLE invites (
          token_hash TEXT PRIMARY KEY,
          user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          used_at    INTEGER
        );
        ALTER TABLE plans ADD COLUMN shared_with_cohort INTEGER NOT NULL DEFAULT 0;
      `)
    },
  },
  {
    version: 4,
    description: 'comment thread index and read state, for the inbox',
    up(db) {
      db.exec(`
        CREATE TABLE thread_index (
          plan_id         TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
          thread_id       TEXT NOT NULL,
          status          TEXT NOT NULL,
          author_id       TEXT NOT NULL,
          author_name     TEXT NOT NULL,
          anchor_label    TEXT NOT NULL,
          quote           TEXT NOT NULL,
          orphaned        INTEGER NOT NULL,
          comment_count   INTEGER NOT NULL,
          created_at      TEXT NOT NULL,
          last_comment_at TEXT NOT NULL,
          last_comment_by TEXT NOT NULL,
          excerpt         TEXT NOT NULL,
          PRIMARY KEY (plan_id, thread_id)
        );
        CREATE TABLE thread_mentions (
          plan_id   TEXT NOT NULL,
          thread_id TEXT NOT NULL,
          user_id   TEXT NOT NULL,
          PRIMARY KEY (user_id, plan_id, thread_id)
        );
        CREATE TABLE thread_reads (
          user_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          plan_id   TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
          thread_id TEXT NOT NULL,
          read_at   TEXT NOT NULL,
          PRIMARY KEY (user_id, plan_id, thread_id)
        );
      `)
    },
  },
  {
    version: 5,
    description: 'cohort sessions, breakout groups and drafts, attendance, transfers into plans',
    up(db) {
      db.exec(`
        CREATE TABLE cohort_sessions (
          id               TEXT PRIMARY KEY,
          title            TEXT NOT NULL,
          topic            TEXT NOT NULL,
          phase            TEXT NOT NULL CHECK (phase IN ('phase1', 'phase2', 'other')),
          starts_at        TEXT NOT NULL,
          duration_minutes INTEGER NOT NULL,
          agenda           TEXT NOT NULL,
          prework          TEXT NOT NULL,
          focus            TEXT NOT NULL,
          status           TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
          breakouts_open   INTEGER NOT NULL DEFAULT 0,
          started_at       TEXT,
          ended_at         TEXT,
          created_at       TEXT NOT NULL,
          updated_at       TEXT NOT NULL
        );
        CREATE INDEX cohort_sessions_by_time ON cohort_sessions (starts_at);
        CREATE TABLE breakout_groups (
          id         TEXT PRIMARY KEY,
          session_id TEXT NOT NULL REFERENCES cohort_sessions (id) ON DELETE CASCADE,
          name       TEXT NOT NULL,
          prompt     TEXT NOT NULL,
          draft_id   TEXT NOT NULL UNIQUE,
          removed    INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE breakout_members (
          group_id TEXT NOT NULL REFERENCES breakout_groups (id) ON DELETE CASCADE,
          user_id  TEXT NOT NULL,
          added_at TEXT NOT NULL,
          current  INTEGER NOT NULL DEFAULT 1,
          PRIMARY KEY (group_id, user_id)
        );
        CREATE TABLE session_attendance (
          session_id TEXT NOT NULL REFERENCES cohort_sessions (id) ON DELETE CASCADE,
          user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          joined_at  TEXT NOT NULL,
          PRIMARY KEY (session_id, user_id)
        );
        CREATE TABLE draft_transfers (
          id              TEXT PRIMARY KEY,
          draft_id        TEXT NOT NULL,
          session_id      TEXT NOT NULL,
          group_id        TEXT NOT NULL,
          plan_id         TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
          jurisdiction_id TEXT NOT NULL,
          user_id         TEXT NOT NULL,
          user_name       TEXT NOT NULL,
          kind            TEXT NOT NULL CHECK (kind IN ('card', 'prose')),
          summary         TEXT NOT NULL,
          target          TEXT NOT NULL,
          created_at      TEXT NOT NULL
        );
        CREATE INDEX draft_transfers_by_session ON draft_transfers (session_id, jurisdiction_id);
      `)
    },
  },
  {
    version: 6,
    description: 'inbox shows who wrote last by name',
    up(db) {
      db.exec(`ALTER TABLE thread_index ADD COLUMN last_comment_by_name TEXT NOT NULL DEFAULT ''`)
    },
  },
  {
    version: 8,
    description: 'who each Yjs client id of a document belongs to',
    up(db) {
      db.exec(`
        CREATE TABLE doc_clients (
          doc_name   TEXT    NOT NULL,
          client_id  INTEGER NOT NULL,
          user_id    TEXT,
          first_seen INTEGER NOT NULL,
          PRIMARY KEY (doc_name, client_id)
        ) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 9,
    description: 'version history of plans: full compressed states with who and when',
    up(db) {
      db.exec(`
        CREATE TABLE plan_versions (
          id          TEXT    PRIMARY KEY,
          plan_id     TEXT    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
          kind        TEXT    NOT NULL CHECK (kind IN ('auto', 'named', 'before-restore', 'event')),
          name        TEXT,
          created_by  TEXT,
          created_at  INTEGER NOT NULL,
          authors     TEXT    NOT NULL DEFAULT '[]',
          state       BLOB    NOT NULL,
          state_bytes INTEGER NOT NULL,
          snapshot    BLOB    NOT NULL
        );
        CREATE INDEX plan_versions_by_plan ON plan_versions (plan_id, created_at);
      `)
    },
  },
  {
    version: 10,
    description: 'full-text search index (FTS5 over search_rows), sessions kept current by triggers',
    up(db) {
      db.exec(`
        CREATE TABLE search_rows (
          id              INTEGER PRIMARY KEY,
          kind            TEXT NOT NULL,
          plan_id         TEXT,
          jurisdiction_id TEXT,
          ref             TEXT NOT NULL,
          title           TEXT NOT NULL,
          body            TEXT NOT NULL
        );
        CREATE INDEX search_rows_by_plan ON search_rows (plan_id);
        CREATE INDEX search_rows_by_ref ON search_rows (kind, ref);
        CREATE VIRTUAL TABLE search_fts USING fts5(
          title, body,
          content = 'search_rows', content_rowid = 'id',
          tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER search_rows_ai AFTER INSERT ON search_rows BEGIN
          INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER search_rows_ad AFTER DELETE ON search_rows BEGIN
          INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER search_rows_au AFTER UPDATE ON search_rows BEGIN
          INSERT INTO search_fts (search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
          INSERT INTO search_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER cohort_sessions_search_ai AFTER INSERT ON cohort_sessions BEGIN
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('session', new.id, new.title, new.topic || ' ' || new.agenda || ' ' || new.focus || ' ' || new.prework);
        END;
        CREATE TRIGGER cohort_sessions_search_au AFTER UPDATE OF title, topic, agenda, focus, prework ON cohort_sessions BEGIN
          DELETE FROM search_rows WHERE kind = 'session' AND ref = old.id;
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('session', new.id, new.title, new.topic || ' ' || new.agenda || ' ' || new.focus || ' ' || new.prework);
        END;
        CREATE TRIGGER cohort_sessions_search_ad AFTER DELETE ON cohort_sessions BEGIN
          DELETE FROM search_rows WHERE kind = 'session' AND ref = old.id;
        END;
        INSERT INTO search_rows (kind, ref, title, body)
          SELECT 'session', id, title, topic || ' ' || agenda || ' ' || focus || ' ' || prework FROM cohort_sessions;
        CREATE TABLE search_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 11,
    description: 'per-plan figures for dashboards and the cohort overview; the reporting calendar',
    up(db) {
      db.exec(`
        CREATE TABLE plan_figures (
          plan_id          TEXT    PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
          figures_version  INTEGER NOT NULL,
          status           TEXT    NOT NULL,
          initiatives      TEXT    NOT NULL,
          budgeted         REAL    NOT NULL,
          obligated        REAL    NOT NULL,
          spent            REAL    NOT NULL,
          components       TEXT    NOT NULL,
          warnings         INTEGER NOT NULL,
          check_ins        TEXT    NOT NULL,
          check_ins_due    INTEGER NOT NULL,
          dashboard        TEXT    NOT NULL,
          computed_at      TEXT    NOT NULL
        );
        CREATE TABLE reporting_calendar (
          id          INTEGER PRIMARY KEY CHECK (id = 1),
          frequency   TEXT    NOT NULL CHECK (frequency IN ('monthly', 'quarterly')),
          grace_days  INTEGER NOT NULL,
          updated_by  TEXT,
          updated_at  TEXT    NOT NULL
        );
        CREATE TABLE reporting_reopened (
          period      TEXT PRIMARY KEY,
          reopened_by TEXT,
          reopened_at TEXT NOT NULL
        );
      `)
    },
  },
  {
    version: 14,
    description: 'email notifications: preferences, comments already notified, digests',
    up(db) {
      db.exec(`
        CREATE TABLE notification_prefs (
          user_id           TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
          mentions          INTEGER NOT NULL DEFAULT 1,
          replies           INTEGER NOT NULL DEFAULT 1,
          digest            INTEGER NOT NULL DEFAULT 1,
          unsubscribe_token TEXT NOT NULL UNIQUE,
          last_digest_at    TEXT
        );
        CREATE TABLE comment_notices (
          plan_id    TEXT NOT NULL,
          comment_id TEXT NOT NULL,
          PRIMARY KEY (plan_id, comment_id)
        ) WITHOUT ROWID;
        CREATE TABLE notice_baselines (plan_id TEXT PRIMARY KEY) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 15,
    description: 'sign-in throttling that cannot lock the owner out: failure counts and trusted devices',
    up(db) {
      db.exec(`
        -- rate-limiter-flexible's SQLite store (RateLimiterSQLite), created here so it is versioned.
        CREATE TABLE IF NOT EXISTS sign_in_throttle (
          key    TEXT PRIMARY KEY,
          points INTEGER NOT NULL DEFAULT 0,
          expire INTEGER
        );
        -- Browsers that signed in to an account before: their attempts are throttled on their own.
        CREATE TABLE IF NOT EXISTS trusted_devices (
          token_hash   TEXT    PRIMARY KEY,
          user_id      TEXT    NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          created_at   INTEGER NOT NULL,
          last_used_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS trusted_devices_by_user ON trusted_devices (user_id, last_used_at);
      `)
    },
  },
  {
    version: 16,
    description: 'the library: evidence entries (revisions, rating history), resources; both in the search index',
    up(db) {
      db.exec(`
        CREATE TABLE evidence_entries (
          id              TEXT PRIMARY KEY,
          title           TEXT    NOT NULL,
          summary         TEXT    NOT NULL,
          source_name     TEXT    NOT NULL,
          source_url      TEXT    NOT NULL,
          rating_scheme   TEXT,
          rating_value    TEXT,
          outcome_domains TEXT    NOT NULL DEFAULT '[]',
          populations     TEXT    NOT NULL DEFAULT '[]',
          components      TEXT    NOT NULL DEFAULT '[]',
          levers          TEXT    NOT NULL DEFAULT '[]',
          suggested_tier  TEXT,
          checked_on      TEXT,
          checked_where   TEXT,
          -- Goes up by one with every change (citations remember the revision they cited).
          revision        INTEGER NOT NULL DEFAULT 1,
          -- From the program's data file; edited = a facilitator changed it (the file never overwrites it then).
          seeded          INTEGER NOT NULL DEFAULT 0,
          edited          INTEGER NOT NULL DEFAULT 0,
          created_by      TEXT,
          updated_by      TEXT,
          created_at      TEXT    NOT NULL,
          updated_at      TEXT    NOT NULL
        );
        -- Every rating an entry has had, with the revision that brought it.
        CREATE TABLE evidence_rating_history (
          id         INTEGER PRIMARY KEY,
          entry_id   TEXT    NOT NULL REFERENCES evidence_entries (id) ON DELETE CASCADE,
          revision   INTEGER NOT NULL,
          scheme     TEXT,
          value      TEXT,
          changed_by TEXT,
          changed_at TEXT    NOT NULL
        );
        CREATE INDEX evidence_rating_history_by_entry ON evidence_rating_history (entry_id, revision);
        CREATE TABLE library_resources (
          id          TEXT PRIMARY KEY,
          title       TEXT    NOT NULL,
          description TEXT    NOT NULL DEFAULT '',
          levers      TEXT    NOT NULL DEFAULT '[]',
          components  TEXT    NOT NULL DEFAULT '[]',
          url         TEXT,
          -- An uploaded file: its name as uploaded, type, size, and the name it is stored under.
          file_name   TEXT,
          file_type   TEXT,
          file_size   INTEGER,
          file_key    TEXT UNIQUE,
          created_by  TEXT,
          updated_by  TEXT,
          created_at  TEXT    NOT NULL,
          updated_at  TEXT    NOT NULL,
          CHECK ((url IS NULL) <> (file_key IS NULL))
        );
        CREATE TRIGGER evidence_search_ai AFTER INSERT ON evidence_entries BEGIN
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('evidence', new.id, new.title, new.summary || ' ' || new.source_name || ' ' ||
            coalesce(new.rating_value, '') || ' ' ||
            coalesce((SELECT group_concat(value, ', ') FROM json_each(new.populations)), '') || ' ' ||
            coalesce((SELECT group_concat(value, ', ') FROM json_each(new.outcome_domains)), ''));
        END;
        CREATE TRIGGER evidence_search_au AFTER UPDATE ON evidence_entries BEGIN
          DELETE FROM search_rows WHERE kind = 'evidence' AND ref = old.id;
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('evidence', new.id, new.title, new.summary || ' ' || new.source_name || ' ' ||
            coalesce(new.rating_value, '') || ' ' ||
            coalesce((SELECT group_concat(value, ', ') FROM json_each(new.populations)), '') || ' ' ||
            coalesce((SELECT group_concat(value, ', ') FROM json_each(new.outcome_domains)), ''));
        END;
        CREATE TRIGGER evidence_search_ad AFTER DELETE ON evidence_entries BEGIN
          DELETE FROM search_rows WHERE kind = 'evidence' AND ref = old.id;
        END;
        CREATE TRIGGER resources_search_ai AFTER INSERT ON library_resources BEGIN
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('resource', new.id, new.title, new.description || ' ' || coalesce(new.file_name, ''));
        END;
        CREATE TRIGGER resources_search_au AFTER UPDATE ON library_resources BEGIN
          DELETE FROM search_rows WHERE kind = 'resource' AND ref = old.id;
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('resource', new.id, new.title, new.description || ' ' || coalesce(new.file_name, ''));
        END;
        CREATE TRIGGER resources_search_ad AFTER DELETE ON library_resources BEGIN
          DELETE FROM search_rows WHERE kind = 'resource' AND ref = old.id;
        END;
      `)
    },
  },
  {
    version: 17,
    description: 'templates, the template a plan started from, initiatives borrowed between plans',
    up(db) {
      db.exec(`
        CREATE TABLE templates (
          id          TEXT PRIMARY KEY,
          kind        TEXT NOT NULL CHECK (kind IN ('plan', 'initiative')),
          title       TEXT NOT NULL,
          description TEXT NOT NULL DEFAULT '',
          doc_name    TEXT NOT NULL UNIQUE,
          version     INTEGER NOT NULL DEFAULT 1,
          -- Templates the server ships are found again by this key, so seeding runs once.
          seed_key    TEXT UNIQUE,
          created_by  TEXT,
          created_at  TEXT NOT NULL,
          updated_at  TEXT NOT NULL
        );
        ALTER TABLE plans ADD COLUMN template_id TEXT REFERENCES templates (id) ON DELETE SET NULL;
        ALTER TABLE plans ADD COLUMN template_version INTEGER;
        CREATE TABLE initiative_borrows (
          id                     TEXT PRIMARY KEY,
          source_plan_id         TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
          source_initiative_id   TEXT NOT NULL,
          target_plan_id         TEXT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
          target_jurisdiction_id TEXT NOT NULL,
          target_initiative_id   TEXT NOT NULL,
          borrowed_by            TEXT,
          borrowed_at            TEXT NOT NULL
        );
        CREATE INDEX initiative_borrows_by_source ON initiative_borrows (source_plan_id, source_initiative_id);
      `)
    },
  },
  {
    version: 18,
    description: "coaching log: one-on-one sessions and each phase's allowance",
    up(db) {
      db.exec(`
        CREATE TABLE coaching_sessions (
          id              TEXT PRIMARY KEY,
          jurisdiction_id TEXT NOT NULL REFERENCES jurisdictions (id),
          coach_id        TEXT NOT NULL REFERENCES users (id),
          held_on         TEXT NOT NULL,
          minutes         INTEGER NOT NULL CHECK (minutes > 0),
          phase           TEXT NOT NULL CHECK (phase IN ('phase1', 'phase2')),
          topic_levers    TEXT NOT NULL DEFAULT '[]',
          topic_components TEXT NOT NULL DEFAULT '[]',
          notes           TEXT NOT NULL DEFAULT '',
          follow_ups      TEXT NOT NULL DEFAULT '[]',
          created_at      TEXT NOT NULL,
          updated_at      TEXT NOT NULL
        );
        CREATE INDEX coaching_sessions_by_jurisdiction ON coaching_sessions (jurisdiction_id, held_on);
        CREATE TABLE coaching_allowances (
          phase             TEXT PRIMARY KEY CHECK (phase IN ('phase1', 'phase2')),
          allowance_minutes INTEGER NOT NULL CHECK (allowance_minutes >= 0),
          updated_by        TEXT,
          updated_at        TEXT NOT NULL
        );
        CREATE TABLE coaching_settings (
          id            INTEGER PRIMARY KEY CHECK (id = 1),
          current_phase TEXT NOT NULL CHECK (current_phase IN ('phase1', 'phase2'))
        );
        INSERT INTO coaching_allowances (phase, allowance_minutes, updated_at)
          VALUES ('phase1', 240, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ('phase2', 240, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
        INSERT INTO coaching_settings (id, current_phase) VALUES (1, 'phase1');
      `)
    },
  },
  {
    version: 19,
    description: 'comment threads have a visibility: the thread index and the search rows say who may read each',
    up(db) {
      db.exec(`
        -- team: the plan's team, its coaches and facilitators; all: everyone who may read the plan.
        ALTER TABLE thread_index ADD COLUMN visibility TEXT NOT NULL DEFAULT 'team';
        -- Search rows of team-only threads (NULL: whoever may read the plan).
        ALTER TABLE search_rows ADD COLUMN audience TEXT;
        -- One-time work the server has done on stored documents (moving threads out of plans).
        CREATE TABLE IF NOT EXISTS document_upgrades (name TEXT PRIMARY KEY) WITHOUT ROWID;
      `)
    },
  },
  {
    version: 20,
    description: 'versions carry a key of their content, so a plan version is stored once however many servers take it',
    up(db) {
      db.exec(`
        ALTER TABLE plan_versions ADD COLUMN content_key TEXT;
        CREATE INDEX plan_versions_by_content ON plan_versions (plan_id, content_key);
      `)
      const rows = db.prepare('SELECT id, snapshot FROM plan_versions').all() as Array<{
        id: string
        snapshot: Uint8Array
      }>
      const set = db.prepare('UPDATE plan_versions SET content_key = ? WHERE id = ?')
      for (const row of rows) set.run(contentKey(Y.encodeSnapshot(Y.decodeSnapshot(row.snapshot))), row.id)
    },
  },
]

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Brings the database up to the newest schema. Refuses a database newer than this code. */
export function migrate(db: Database, all: Migration[] = migrations): { from: number; to: number } {
  const from = schemaVersion(db)
  const latest = all.at(-1)?.version ?? 0
  if (from > latest) {
    throw new Error(
      `The database is at schema version ${from}, newer than this server knows (${latest}). Upgrade the server.`,
    )
  }
  for (const m of all) {
    if (m.version <= from) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return { from, to: Math.max(from, latest) }
}
