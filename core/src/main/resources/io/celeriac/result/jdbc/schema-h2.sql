-- Celery's result tables (see schema-postgresql.sql) in H2's types.
CREATE SEQUENCE IF NOT EXISTS task_id_sequence START WITH 1 INCREMENT BY 1;
CREATE SEQUENCE IF NOT EXISTS taskset_id_sequence START WITH 1 INCREMENT BY 1;
CREATE TABLE IF NOT EXISTS celery_taskmeta (
    id INTEGER NOT NULL,
    task_id VARCHAR(155),
    status VARCHAR(50),
    result VARBINARY,
    date_done TIMESTAMP,
    traceback CHARACTER LARGE OBJECT,
    name VARCHAR(155),
    args VARBINARY,
    kwargs VARBINARY,
    worker VARCHAR(155),
    retries INTEGER,
    queue VARCHAR(155),
    CONSTRAINT celery_taskmeta_pkey PRIMARY KEY (id),
    CONSTRAINT celery_taskmeta_task_id_key UNIQUE (task_id)
);
CREATE TABLE IF NOT EXISTS celery_tasksetmeta (
    id INTEGER NOT NULL,
    taskset_id VARCHAR(155),
    result VARBINARY,
    date_done TIMESTAMP,
    CONSTRAINT celery_tasksetmeta_pkey PRIMARY KEY (id),
    CONSTRAINT celery_tasksetmeta_taskset_id_key UNIQUE (taskset_id)
);
