-- Removes worker ARGV[1] from sorted set KEYS[1] and deletes its key KEYS[2] (one hash slot).
-- Returns 1 if it was registered and not yet expired, 0 otherwise.
redis.call('zrem', KEYS[1], ARGV[1])
return redis.call('del', KEYS[2])
