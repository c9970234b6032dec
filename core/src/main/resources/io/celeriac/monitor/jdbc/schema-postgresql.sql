-- The task monitor's table: one row per task id seen on the monitor queue. No foreign key to
-- celery_taskmeta: a result may be recorded before its task row. Creates only what is missing.
CREATE TABLE IF NOT EXISTS celeriac_task (
    task_id VARCHAR(155) NOT NULL,
    name VARCHAR(255) NOT NULL,
    args text NOT NULL,
    kwargs text NOT NULL,
    routing_key VARCHAR(255) NOT NULL,
    eta VARCHAR(64),
    expires VARCHAR(64),
    parent_id VARCHAR(155),
    root_id VARCHAR(155),
    group_id VARCHAR(155),
    retries INTEGER NOT NULL,
    origin VARCHAR(255),
    seen_at TIMESTAMP NOT NULL,
    CONSTRAINT celeriac_task_pkey PRIMARY KEY (task_id)
);
-- The task history (io.celeriac.monitor.TaskHistory) reads the newest tasks first and pages by
-- (seen_at, task_id); by name; and a task's children. (seen_at, task_id) replaces the former index
-- on seen_at alone.
DROP INDEX IF EXISTS celeriac_task_seen_at;
CREATE INDEX IF NOT EXISTS celeriac_task_seen ON celeriac_task (seen_at, task_id);
CREATE INDEX IF NOT EXISTS celeriac_task_name_seen ON celeriac_task (name, seen_at, task_id);
CREATE INDEX IF NOT EXISTS celeriac_task_parent ON celeriac_task (parent_id) WHERE parent_id IS NOT NULL;
