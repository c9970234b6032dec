-- Adds a delayed task: its payload to the hash, its id to the due set scored by due time.
-- KEYS[1] due set, KEYS[2] claimed set, KEYS[3] payload hash (one hash slot)
-- ARGV[1] id, ARGV[2] due time in epoch milliseconds, ARGV[3] payload
redis.call('HSET', KEYS[3], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
