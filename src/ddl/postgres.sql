-- Customer 360 tables in PostgreSQL. The pipeline applies this file with --createTables; it is
-- idempotent, so running it by hand (psql -f src/ddl/postgres.sql) is safe too.

-- One row per distinct engagement; event_id is the deterministic id of the engagement, so a
-- re-run or a replay after a crash inserts nothing twice. Of deliveries that disagree on
-- engagement_seconds the longest is kept: a stream's correction raises it (ON CONFLICT ... DO UPDATE
-- ... WHERE longer). Columns in the order Engagement declares (a test checks every table that has a
-- declared type); an older table with event_id first works the same, as inserts name columns.
create table if not exists customer_engagements (
  user_id              varchar(128) not null,
  engagement_datetime  timestamptz  not null,
  engagement_type      varchar(64)  not null,
  engagement_source_id varchar(256) not null,
  engagement_seconds   integer      not null check (engagement_seconds >= 0),
  event_id             char(32)     primary key,
  loaded_at            timestamptz  not null default now()
);
create index if not exists customer_engagements_user_time
  on customer_engagements (user_id, engagement_datetime);

-- The customer 360: one row per customer and event-time window, upserted with each newer firing.
create table if not exists customer_profiles (
  user_id            varchar(128) not null,
  window_start       timestamptz  not null,
  window_end         timestamptz  not null,
  engagements        bigint       not null,
  engagement_seconds bigint       not null,
  calls              bigint       not null,
  call_seconds       bigint       not null,
  website_visits     bigint       not null,
  website_seconds    bigint       not null,
  first_engagement   timestamptz,
  last_engagement    timestamptz,
  last_call_id       varchar(256),
  last_site_id       varchar(256),
  pane               varchar(16)  not null,
  is_final           boolean      not null,
  updated_at         timestamptz  not null default now(),
  primary key (user_id, window_start)
);

-- Records that could not become engagements (or could not be written), with the reason.
-- id is a hash of source, error and the whole payload, so a re-run adds no copies and two
-- different records never share a row. payload is the whole raw record up to 512 KiB; a bigger one
-- keeps its first 4 KiB and has replayable = false. PostgreSQL text cannot hold NUL: a payload with
-- NUL is stored as base64 of its UTF-8 and payload_encoding = 'base64' (decode(payload, 'base64')).
create table if not exists dead_letters (
  id        char(32)    primary key,
  source    varchar(64) not null,
  error     text        not null,
  payload   text        not null,
  failed_at timestamptz not null
);
-- Added later: a table created by an older version gains them here. Its older rows had every
-- payload cut at 4 KiB of UTF-8 and NUL replaced by U+FFFD, whatever their replayable says.
alter table dead_letters add column if not exists payload_encoding varchar(8) not null default 'text';
alter table dead_letters add column if not exists replayable boolean not null default true;
-- Added with replay: the step a record failed at and how many times it was tried. Rows from older
-- versions have no stage (a replay sends their payload through standardization) and one attempt.
alter table dead_letters add column if not exists stage varchar(16);
alter table dead_letters add column if not exists attempts integer not null default 1;
-- Added later: where the raw record came from (file:<path> line <n> | file:<path> byte <offset> |
-- kafka:<topic>/<partition>@<offset>), '' when not known; rows from older versions have NULL.
alter table dead_letters add column if not exists origin text;
create index if not exists dead_letters_source_time on dead_letters (source, failed_at);

-- Deliveries of one engagement (one event_id) that disagree on engagement_seconds: every sink keeps
-- the longest (kept_seconds); each other value seen is one row (dropped_seconds), so a data
-- engineer can find the producer that sends them. Columns in the order EngagementConflict declares.
create table if not exists engagement_conflicts (
  event_id             char(32)     not null,
  user_id              varchar(128) not null,
  engagement_datetime  timestamptz  not null,
  engagement_type      varchar(64)  not null,
  engagement_source_id varchar(256) not null,
  kept_seconds         integer      not null,
  dropped_seconds      integer      not null,
  found_at             timestamptz  not null default now(),
  primary key (event_id, dropped_seconds)
);
