import type { Pool } from 'pg'

/**
 * The PostgreSQL schema, versioned like SQLite's (`db/migrations.ts`) but on its own numbering:
 * each entry runs once, in order, in its own transaction, and `lever_schema` records it.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<{
  version: number
  sql: string
  /** What the operator can do when the migration fails (told with the error at start). */
  help?: string
}> = [
  {
    version: 1,
    sql: `
      -- One log of Yjs updates per document. seq numbers the rows of one document in commit order
      -- (appends take the document's advisory lock), so "every row after n" is a complete catch-up.
      CREATE TABLE doc_updates (
        doc_name text NOT NULL,
        seq bigint NOT NULL,
        data bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (doc_name, seq)
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- Everything besides the document log: the same tables, columns and rules as SQLite's
      -- (db/migrations.ts, up to its version 20), in PostgreSQL's types. Flags stay integers (0/1)
      -- and times stay what they are in SQLite (ISO text, or epoch milliseconds as bigint), so one
      -- query layer (db/queries.ts) reads and writes both alike.
      CREATE TABLE jurisdictions (
        id     text PRIMARY KEY,
        name   text NOT NULL,
        kind   text NOT NULL CHECK (kind IN ('state', 'city', 'county')),
        state  text NOT NULL,
        agency text NOT NULL
      );
      CREATE TABLE users (
        id              text PRIMARY KEY,
        email           text NOT NULL UNIQUE,
        name            text NOT NULL,
        role            text NOT NULL CHECK (role IN ('facilitator', 'coach', 'member')),
        jurisdiction_id text REFERENCES jurisdictions (id),
        password_hash   text,
        active          integer NOT NULL DEFAULT 1,
        created_at      text NOT NULL,
        updated_at      text NOT NULL
      );
      CREATE TABLE templates (
        id          text PRIMARY KEY,
        kind        text NOT NULL CHECK (kind IN ('plan', 'initiative')),
        title       text NOT NULL,
        description text NOT NULL DEFAULT '',
        doc_name    text NOT NULL UNIQUE,
        version     integer NOT NULL DEFAULT 1,
        seed_key    text UNIQUE,
        created_by  text,
        created_at  text NOT NULL,
        updated_at  text NOT NULL
      );
      CREATE TABLE plans (
        id                 text PRIMARY KEY,
        jurisdiction_id    text NOT NULL REFERENCES jurisdictions (id),
        title              text NOT NULL,
        doc_name           text NOT NULL UNIQUE,
        created_by         text,
        created_at         text NOT NULL,
        updated_at         text NOT NULL,
        shared_with_cohort integer NOT NULL DEFAULT 0,
        template_id        text REFERENCES templates (id) ON DELETE SET NULL,
        template_version   integer
      );
      CREATE INDEX plans_by_jurisdiction ON plans (jurisdiction_id, created_at);
      CREATE TABLE coach_assignments (
        coach_id        text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        jurisdiction_id text NOT NULL REFERENCES jurisdictions (id),
        PRIMARY KEY (coach_id, jurisdiction_id)
      );
      CREATE TABLE sessions (
        token_hash text PRIMARY KEY,
        user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL
      );
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE TABLE invites (
        token_hash text PRIMARY KEY,
        user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        used_at    bigint
      );
      CREATE TABLE thread_index (
        plan_id              text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        thread_id            text NOT NULL,
        status               text NOT NULL,
        author_id            text NOT NULL,
        author_name          text NOT NULL,
        anchor_label         text NOT NULL,
        quote                text NOT NULL,
        orphaned             integer NOT NULL,
        comment_count        integer NOT NULL,
        created_at           text NOT NULL,
        last_comment_at      text NOT NULL,
        last_comment_by      text NOT NULL,
        excerpt              text NOT NULL,
        last_comment_by_name text NOT NULL DEFAULT '',
        visibility           text NOT NULL DEFAULT 'team',
        PRIMARY KEY (plan_id, thread_id)
      );
      CREATE TABLE thread_mentions (
        plan_id   text NOT NULL,
        thread_id text NOT NULL,
        user_id   text NOT NULL,
        PRIMARY KEY (user_id, plan_id, thread_id)
      );
      CREATE TABLE thread_reads (
        user_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        plan_id   text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        thread_id text NOT NULL,
        read_at   text NOT NULL,
        PRIMARY KEY (user_id, plan_id, thread_id)
      );
      CREATE TABLE cohort_sessions (
        id               text PRIMARY KEY,
        title            text NOT NULL,
        topic            text NOT NULL,
        phase            text NOT NULL CHECK (phase IN ('phase1', 'phase2', 'other')),
        starts_at        text NOT NULL,
        duration_minutes integer NOT NULL,
        agenda           text NOT NULL,
        prework          text NOT NULL,
        focus            text NOT NULL,
        status           text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'live', 'ended')),
        breakouts_open   integer NOT NULL DEFAULT 0,
        started_at       text,
        ended_at         text,
        created_at       text NOT NULL,
        updated_at       text NOT NULL
      );
      CREATE INDEX cohort_sessions_by_time ON cohort_sessions (starts_at);
      CREATE TABLE breakout_groups (
        id         text PRIMARY KEY,
        session_id text NOT NULL REFERENCES cohort_sessions (id) ON DELETE CASCADE,
        name       text NOT NULL,
        prompt     text NOT NULL,
        draft_id   text NOT NULL UNIQUE,
        removed    integer NOT NULL DEFAULT 0
      );
      CREATE TABLE breakout_members (
        group_id text NOT NULL REFERENCES breakout_groups (id) ON DELETE CASCADE,
        user_id  text NOT NULL,
        added_at text NOT NULL,
        current  integer NOT NULL DEFAULT 1,
        PRIMARY KEY (group_id, user_id)
      );
      CREATE TABLE session_attendance (
        session_id text NOT NULL REFERENCES cohort_sessions (id) ON DELETE CASCADE,
        user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        joined_at  text NOT NULL,
        PRIMARY KEY (session_id, user_id)
      );
      CREATE TABLE draft_transfers (
        id              text PRIMARY KEY,
        draft_id        text NOT NULL,
        session_id      text NOT NULL,
        group_id        text NOT NULL,
        plan_id         text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        jurisdiction_id text NOT NULL,
        user_id         text NOT NULL,
        user_name       text NOT NULL,
        kind            text NOT NULL CHECK (kind IN ('card', 'prose')),
        summary         text NOT NULL,
        target          text NOT NULL,
        created_at      text NOT NULL
      );
      CREATE INDEX draft_transfers_by_session ON draft_transfers (session_id, jurisdiction_id);
      CREATE TABLE doc_clients (
        doc_name   text   NOT NULL,
        client_id  bigint NOT NULL,
        user_id    text,
        first_seen bigint NOT NULL,
        PRIMARY KEY (doc_name, client_id)
      );
      CREATE TABLE plan_versions (
        id          text    PRIMARY KEY,
        plan_id     text    NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        kind        text    NOT NULL CHECK (kind IN ('auto', 'named', 'before-restore', 'event')),
        name        text,
        created_by  text,
        created_at  bigint  NOT NULL,
        authors     text    NOT NULL DEFAULT '[]',
        state       bytea   NOT NULL,
        state_bytes integer NOT NULL,
        snapshot    bytea   NOT NULL,
        content_key text
      );
      CREATE INDEX plan_versions_by_plan ON plan_versions (plan_id, created_at);
      CREATE INDEX plan_versions_by_content ON plan_versions (plan_id, content_key);
      -- Search: one row per searchable thing, its words in a generated tsvector ('simple': no
      -- stemming, like SQLite's unicode61 tokenizer) with a GIN index, where SQLite has FTS5.
      CREATE TABLE search_rows (
        id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        kind            text NOT NULL,
        plan_id         text,
        jurisdiction_id text,
        ref             text NOT NULL,
        title           text NOT NULL,
        body            text NOT NULL,
        audience        text,
        words           tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
        ) STORED
      );
      CREATE INDEX search_rows_by_plan ON search_rows (plan_id);
      CREATE INDEX search_rows_by_ref ON search_rows (kind, ref);
      CREATE INDEX search_rows_words ON search_rows USING gin (words);
      CREATE TABLE search_state (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE plan_figures (
        plan_id         text             PRIMARY KEY REFERENCES plans (id) ON DELETE CASCADE,
        figures_version integer          NOT NULL,
        status          text             NOT NULL,
        initiatives     text             NOT NULL,
        budgeted        double precision NOT NULL,
        obligated       double precision NOT NULL,
        spent           double precision NOT NULL,
        components      text             NOT NULL,
        warnings        integer          NOT NULL,
        check_ins       text             NOT NULL,
        check_ins_due   integer          NOT NULL,
        dashboard       text             NOT NULL,
        computed_at     text             NOT NULL
      );
      CREATE TABLE reporting_calendar (
        id         integer PRIMARY KEY CHECK (id = 1),
        frequency  text    NOT NULL CHECK (frequency IN ('monthly', 'quarterly')),
        grace_days integer NOT NULL,
        updated_by text,
        updated_at text    NOT NULL
      );
      CREATE TABLE reporting_reopened (
        period      text PRIMARY KEY,
        reopened_by text,
        reopened_at text NOT NULL
      );
      CREATE TABLE notification_prefs (
        user_id           text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        mentions          integer NOT NULL DEFAULT 1,
        replies           integer NOT NULL DEFAULT 1,
        digest            integer NOT NULL DEFAULT 1,
        unsubscribe_token text NOT NULL UNIQUE,
        last_digest_at    text
      );
      CREATE TABLE comment_notices (
        plan_id    text NOT NULL,
        comment_id text NOT NULL,
        PRIMARY KEY (plan_id, comment_id)
      );
      CREATE TABLE notice_baselines (plan_id text PRIMARY KEY);
      CREATE TABLE sign_in_throttle (
        key    text PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
      CREATE TABLE trusted_devices (
        token_hash   text   PRIMARY KEY,
        user_id      text   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at   bigint NOT NULL,
        last_used_at bigint NOT NULL
      );
      CREATE INDEX trusted_devices_by_user ON trusted_devices (user_id, last_used_at);
      CREATE TABLE evidence_entries (
        id              text PRIMARY KEY,
        title           text    NOT NULL,
        summary         text    NOT NULL,
        source_name     text    NOT NULL,
        source_url      text    NOT NULL,
        rating_scheme   text,
        rating_value    text,
        outcome_domains text    NOT NULL DEFAULT '[]',
        populations     text    NOT NULL DEFAULT '[]',
        components      text    NOT NULL DEFAULT '[]',
        levers          text    NOT NULL DEFAULT '[]',
        suggested_tier  text,
        checked_on      text,
        checked_where   text,
        revision        integer NOT NULL DEFAULT 1,
        seeded          integer NOT NULL DEFAULT 0,
        edited          integer NOT NULL DEFAULT 0,
        created_by      text,
        updated_by      text,
        created_at      text    NOT NULL,
        updated_at      text    NOT NULL
      );
      CREATE TABLE evidence_rating_history (
        id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        entry_id   text    NOT NULL REFERENCES evidence_entries (id) ON DELETE CASCADE,
        revision   integer NOT NULL,
        scheme     text,
        value      text,
        changed_by text,
        changed_at text    NOT NULL
      );
      CREATE INDEX evidence_rating_history_by_entry ON evidence_rating_history (entry_id, revision);
      CREATE TABLE library_resources (
        id          text PRIMARY KEY,
        title       text    NOT NULL,
        description text    NOT NULL DEFAULT '',
        levers      text    NOT NULL DEFAULT '[]',
        components  text    NOT NULL DEFAULT '[]',
        url         text,
        file_name   text,
        file_type   text,
        file_size   bigint,
        file_key    text UNIQUE,
        created_by  text,
        updated_by  text,
        created_at  text    NOT NULL,
        updated_at  text    NOT NULL,
        CHECK ((url IS NULL) <> (file_key IS NULL))
      );
      CREATE TABLE initiative_borrows (
        id                     text PRIMARY KEY,
        source_plan_id         text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        source_initiative_id   text NOT NULL,
        target_plan_id         text NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        target_jurisdiction_id text NOT NULL,
        target_initiative_id   text NOT NULL,
        borrowed_by            text,
        borrowed_at            text NOT NULL
      );
      CREATE INDEX initiative_borrows_by_source ON initiative_borrows (source_plan_id, source_initiative_id);
      CREATE TABLE coaching_sessions (
        id               text PRIMARY KEY,
        jurisdiction_id  text    NOT NULL REFERENCES jurisdictions (id),
        coach_id         text    NOT NULL REFERENCES users (id),
        held_on          text    NOT NULL,
        minutes          integer NOT NULL CHECK (minutes > 0),
        phase            text    NOT NULL CHECK (phase IN ('phase1', 'phase2')),
        topic_levers     text    NOT NULL DEFAULT '[]',
        topic_components text    NOT NULL DEFAULT '[]',
        notes            text    NOT NULL DEFAULT '',
        follow_ups       text    NOT NULL DEFAULT '[]',
        created_at       text    NOT NULL,
        updated_at       text    NOT NULL
      );
      CREATE INDEX coaching_sessions_by_jurisdiction ON coaching_sessions (jurisdiction_id, held_on);
      CREATE TABLE coaching_allowances (
        phase             text    PRIMARY KEY CHECK (phase IN ('phase1', 'phase2')),
        allowance_minutes integer NOT NULL CHECK (allowance_minutes >= 0),
        updated_by        text,
        updated_at        text    NOT NULL
      );
      CREATE TABLE coaching_settings (
        id            integer PRIMARY KEY CHECK (id = 1),
        current_phase text    NOT NULL CHECK (current_phase IN ('phase1', 'phase2'))
      );
      CREATE TABLE document_upgrades (name text PRIMARY KEY);
      INSERT INTO coaching_allowances (phase, allowance_minutes, updated_at) VALUES
        ('phase1', 240, to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        ('phase2', 240, to_char(now() AT TIME ZONE 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));
      INSERT INTO coaching_settings (id, current_phase) VALUES (1, 'phase1');

      -- Sessions, evidence and resources keep their search rows current themselves, as in SQLite.
      CREATE FUNCTION lever_session_search() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          DELETE FROM search_rows WHERE kind = 'session' AND ref = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('session', NEW.id, NEW.title, NEW.topic || ' ' || NEW.agenda || ' ' || NEW.focus || ' ' || NEW.prework);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER cohort_sessions_search AFTER INSERT OR DELETE OR UPDATE OF title, topic, agenda, focus, prework
        ON cohort_sessions FOR EACH ROW EXECUTE FUNCTION lever_session_search();
      CREATE FUNCTION lever_evidence_search() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          DELETE FROM search_rows WHERE kind = 'evidence' AND ref = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('evidence', NEW.id, NEW.title, NEW.summary || ' ' || NEW.source_name || ' ' ||
            coalesce(NEW.rating_value, '') || ' ' ||
            coalesce((SELECT string_agg(v, ', ') FROM json_array_elements_text(NEW.populations::json) AS v), '') || ' ' ||
            coalesce((SELECT string_agg(v, ', ') FROM json_array_elements_text(NEW.outcome_domains::json) AS v), ''));
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER evidence_search AFTER INSERT OR UPDATE OR DELETE
        ON evidence_entries FOR EACH ROW EXECUTE FUNCTION lever_evidence_search();
      CREATE FUNCTION lever_resource_search() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          DELETE FROM search_rows WHERE kind = 'resource' AND ref = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO search_rows (kind, ref, title, body)
          VALUES ('resource', NEW.id, NEW.title, NEW.description || ' ' || coalesce(NEW.file_name, ''));
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER resources_search AFTER INSERT OR UPDATE OR DELETE
        ON library_resources FOR EACH ROW EXECUTE FUNCTION lever_resource_search();
    `,
  },
  {
    version: 3,
    sql: `
      -- Search words fold as SQLite's tokenizer (FTS5 unicode61, diacritics removed) folds them: lower
      -- case, accents removed, and every run of characters that are not letters or digits a word
      -- break, so the parts of URLs, hosts, email addresses and file paths are words of their own
      -- (PostgreSQL's parser would keep "example.org/jobs" as one token). lever_search_fold does it
      -- for the indexed words and for the words of a query alike (SearchIndex.ts), so both meet.
      -- unaccent is a trusted extension: the database's owner may create it. It must be installed
      -- with PostgreSQL (Debian's and the official images ship it, in postgresql-contrib elsewhere).
      CREATE EXTENSION IF NOT EXISTS unaccent;
      -- The function must be IMMUTABLE to compute a generated column, so it names unaccent's
      -- dictionary itself (unaccent(text) depends on search_path) in the schema the extension is in.
      -- Case and letters/digits follow ICU's Unicode rules where PostgreSQL has ICU (its "und-x-icu"
      -- collation), whatever the database's locale; without ICU, the database's locale decides.
      DO $$
      DECLARE
        dictionary text := (
          SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
          WHERE e.extname = 'unaccent'
        );
        icu text := CASE
          WHEN EXISTS (
            SELECT FROM pg_collation WHERE collname = 'und-x-icu' AND collnamespace = 'pg_catalog'::regnamespace
          ) THEN 'COLLATE pg_catalog."und-x-icu"'
          ELSE ''
        END;
      BEGIN
        EXECUTE format(
          $f$CREATE FUNCTION lever_search_fold(input text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN pg_catalog.regexp_replace(
              pg_catalog.lower(%1$s.unaccent(%2$L::regdictionary, input) %3$s), '[^[:alnum:]]+', ' ', 'g')$f$,
          dictionary, dictionary || '.unaccent', icu);
      END $$;
      -- Re-created, the generated column is computed again for every stored row.
      ALTER TABLE search_rows DROP COLUMN words;
      ALTER TABLE search_rows ADD COLUMN words tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, lever_search_fold(title)), 'A') ||
        setweight(to_tsvector('simple'::regconfig, lever_search_fold(body)), 'B')
      ) STORED;
      CREATE INDEX search_rows_words ON search_rows USING gin (words);
    `,
    help:
      "Search needs PostgreSQL's unaccent extension: where Lever's role may not create it, a superuser runs " +
      "`CREATE EXTENSION unaccent;` in Lever's database once (it ships with PostgreSQL, in postgresql-contrib on " +
      'some systems)',
  },
]

/** Advisory lock keys (first half of the two-int key): one per purpose, so they never collide. */
export const LOCK_MIGRATIONS = 7301
export const LOCK_DOCUMENT = 7302

/**
 * The error of a failed migration as start reports it: which migration, PostgreSQL's message and
 * hint (start prints only the message), and what the operator can do.
 */
function migrationFailed(version: number, error: unknown, help: string | undefined): Error {
  const message = error instanceof Error ? error.message : String(error)
  const hint = error instanceof Error && 'hint' in error && typeof error.hint === 'string' ? error.hint : null
  const parts = [`PostgreSQL migration ${version} failed: ${message}`, hint, help].flatMap((part) =>
    part ? [part.replace(/\.$/, '')] : [],
  )
  return new Error(parts.join('. '), { cause: error })
}

/**
 * Brings the database to the newest schema. Several servers may start at once: a session-level
 * advisory lock lets one migrate while the others wait. A database newer than this code is refused.
 */
export async function migratePostgres(pool: Pool): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1, 0)', [LOCK_MIGRATIONS])
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS lever_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      )
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM lever_schema')
      const current = rows[0]?.v ?? 0
      const newest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0
      if (current > newest) {
        throw new Error(`the database schema (version ${current}) is newer than this Lever (${newest}): upgrade Lever`)
      }
      for (const m of POSTGRES_MIGRATIONS) {
        if (m.version <= current) continue
        await client.query('BEGIN')
        try {
          await client.query(m.sql)
          await client.query('INSERT INTO lever_schema (version) VALUES ($1)', [m.version])
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK')
          throw migrationFailed(m.version, error, m.help)
        }
      }
      return newest
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_MIGRATIONS])
    }
  } finally {
    client.release()
  }
}
