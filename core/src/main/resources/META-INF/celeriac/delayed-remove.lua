-- Removes a published task.
-- KEYS[1] due set, KEYS[2] claimed set, KEYS[3] payload hash (one hash slot)
-- ARGV[1] id
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
return redis.call('HDEL', KEYS[3], ARGV[1])
