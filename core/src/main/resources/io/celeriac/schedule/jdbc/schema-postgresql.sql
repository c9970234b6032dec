-- The schedule store's table: each recurring schedule's last claimed tick, in epoch
-- milliseconds. Creates only what is missing.
CREATE TABLE IF NOT EXISTS celeriac_schedule (
    name VARCHAR(200) NOT NULL,
    last_tick BIGINT NOT NULL,
    claimed_at TIMESTAMP NOT NULL,
    CONSTRAINT celeriac_schedule_pkey PRIMARY KEY (name)
);
