--liquibase formatted sql

--changeset taskq:1 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: The task table, its claim index and the unique-key index.
--validCheckSum: 9:99f99b970539359de5c1dbae1e241dc3
-- (the checksum before a comment below was reworded; the statements are unchanged, so databases that applied it stay valid)
create sequence taskq_task_seq increment by 50;

create table taskq_task (
    id           bigint       primary key,
    queue        varchar(64)  not null,
    name         varchar(200) not null,
    args         jsonb,
    state        varchar(16)  not null check (state in ('PENDING', 'RUNNING', 'FAILED', 'SUCCEEDED')),
    priority     integer      not null default 0,
    eta          timestamptz  not null,
    attempt      integer      not null default 0,
    max_attempts integer      not null check (max_attempts >= 1),
    unique_key   varchar(200),
    created_at   timestamptz  not null,
    started_at   timestamptz,
    alive_at     timestamptz,
    finished_at  timestamptz,
    worker       varchar(100),
    last_error   text
) with (
    -- A queue table is rewritten all day: vacuum it early and without throttling, or dead index entries pile
    -- up and every claim slows down (measured: 1,730 -> 700 tasks/s within 20 s of a burn-down without it).
    autovacuum_vacuum_scale_factor = 0.0,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_insert_scale_factor = 0.0,
    autovacuum_vacuum_insert_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.0,
    autovacuum_analyze_threshold = 1000,
    autovacuum_vacuum_cost_delay = 0
);

-- Serves the claim exactly: only pending rows, in the order the claim takes them.
create index taskq_task_claim on taskq_task (queue, priority desc, eta, id) where state = 'PENDING';

-- At most one live task per unique key; TaskStore.insertUnique names the same predicate in ON CONFLICT.
create unique index taskq_task_unique_live on taskq_task (unique_key) where state in ('PENDING', 'RUNNING');

-- Serves the dirty check (stale heartbeats) and the heartbeat's own update.
create index taskq_task_running on taskq_task (alive_at) where state = 'RUNNING';
--rollback drop table taskq_task; drop sequence taskq_task_seq;

--changeset taskq:2 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: Paused queues: no node claims their tasks while they are listed here.
create table taskq_queue_pause (
    queue     varchar(64) primary key,
    paused_at timestamptz not null
);
--rollback drop table taskq_queue_pause;

--changeset taskq:3 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: Serves the pruner (finished tasks past their retention) and the admin's newest-first listings.
create index taskq_task_finished on taskq_task (state, finished_at) where state in ('SUCCEEDED', 'FAILED');
--rollback drop index taskq_task_finished;

--changeset taskq:4 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: What a ResultHandler returned, kept on SUCCEEDED rows while succeeded tasks are retained.
alter table taskq_task add column result jsonb;
--rollback alter table taskq_task drop column result;

--changeset taskq:5 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: Leases: the node that holds one runs the cluster's maintenance (dirty check, pruner) until it expires.
create table taskq_lease (
    name       varchar(64) primary key,
    holder     varchar(100) not null,
    expires_at timestamptz not null
);
--rollback drop table taskq_lease;

--changeset taskq:6 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: The queues' stats, taken by the maintenance lease's holder alone and read by every node's gauges and depth chart.
create table taskq_stats (
    queue      varchar(64) primary key,
    future     bigint       not null,
    pending    bigint       not null,
    active     bigint       not null,
    dirty      bigint       not null,
    failed     bigint       not null,
    succeeded  bigint       not null,
    oldest_due timestamptz  not null,
    taken_at   timestamptz  not null,
    taken_by   varchar(100) not null
);
--rollback drop table taskq_stats;

--changeset taskq:7 logicalFilePath:dev/taskq/liquibase/changelog.sql runInTransaction:false
--comment: The kept tasks' index also carries the queue, so that the stats count them per queue from it alone.
-- It replaces taskq_task_finished for the pruner and the listings too; built concurrently, as the table may be large.
create index concurrently if not exists taskq_task_kept on taskq_task (state, finished_at) include (queue)
    where state in ('SUCCEEDED', 'FAILED');
drop index concurrently if exists taskq_task_finished;
--rollback create index taskq_task_finished on taskq_task (state, finished_at) where state in ('SUCCEEDED', 'FAILED'); drop index taskq_task_kept;

--changeset taskq:8 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: Periodic schedules: the latest slot taken, by whichever node locked the row first, and a person's pause.
create table taskq_schedule (
    name      varchar(200) primary key,
    last_slot timestamptz,
    last_task bigint,
    paused_at timestamptz
);
--rollback drop table taskq_schedule;

--changeset taskq:9 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: Cancelled tasks: a person's cancellation, asked of a running task and kept like a failure once it ends.
alter table taskq_task drop constraint taskq_task_state_check;
alter table taskq_task add constraint taskq_task_state_check
    check (state in ('PENDING', 'RUNNING', 'FAILED', 'SUCCEEDED', 'CANCELLED'));
-- When a person asked, and who: set on a RUNNING task, its worker stops its handler and ends it CANCELLED.
alter table taskq_task add column cancelled_at timestamptz;
alter table taskq_task add column cancelled_by varchar(100);
-- Serves the pruner and the listing of cancelled tasks, newest first, and their count per queue from it alone.
create index taskq_task_cancelled on taskq_task (finished_at) include (queue) where state = 'CANCELLED';
alter table taskq_stats add column cancelled bigint not null default 0;
--rollback drop index taskq_task_cancelled; alter table taskq_task drop column cancelled_at; alter table taskq_task drop column cancelled_by; alter table taskq_stats drop column cancelled;

--changeset taskq:10 logicalFilePath:dev/taskq/liquibase/changelog.sql runInTransaction:false
--comment: Unique keys of a queue's own and for a period after enqueue, and a deadline to start by.
-- The queue whose keys a key is unique among, or '' for keys unique across queues.
alter table taskq_task add column if not exists unique_scope varchar(64) not null default '';
-- Until when a key holds after its task succeeded (the row is kept till then); null: only while live.
alter table taskq_task add column if not exists unique_until timestamptz;
-- No attempt starts after it: the task is cancelled as expired instead.
alter table taskq_task add column if not exists expires_at timestamptz;
-- At most one live task per scope and key; TaskStore.insertUnique names the same columns and predicate.
create unique index concurrently if not exists taskq_task_unique_scoped on taskq_task (unique_scope, unique_key)
    where state in ('PENDING', 'RUNNING');
-- Succeeded tasks that hold their key for its period.
create index concurrently if not exists taskq_task_unique_kept on taskq_task (unique_scope, unique_key)
    where state = 'SUCCEEDED' and unique_until is not null;
drop index concurrently if exists taskq_task_unique_live;
--rollback create unique index taskq_task_unique_live on taskq_task (unique_key) where state in ('PENDING', 'RUNNING'); drop index taskq_task_unique_scoped; drop index taskq_task_unique_kept; alter table taskq_task drop column unique_scope; alter table taskq_task drop column unique_until; alter table taskq_task drop column expires_at;

--changeset taskq:11 logicalFilePath:dev/taskq/liquibase/changelog.sql
--comment: Each task's story: its last attempts, each with its start, end, node, outcome and error (capped).
alter table taskq_task add column history jsonb;
--rollback alter table taskq_task drop column history;
