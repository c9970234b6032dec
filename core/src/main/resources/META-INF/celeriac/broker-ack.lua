-- Forgets a message of the Redis broker: acknowledged, or rejected without requeue.
-- KEYS: 1 in-flight sorted set, 2 message hash, 3 redelivered hash
-- ARGV: 1 delivery id
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return redis.call('HDEL', KEYS[2], ARGV[1])
