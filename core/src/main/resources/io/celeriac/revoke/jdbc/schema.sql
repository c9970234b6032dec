-- Revoked task ids kept across worker restarts (Celery's --statedb); PostgreSQL and H2.
CREATE TABLE IF NOT EXISTS celeriac_revoked (
    task_id VARCHAR(155) NOT NULL PRIMARY KEY,
    revoked_at TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS celeriac_revoked_at ON celeriac_revoked (revoked_at);
