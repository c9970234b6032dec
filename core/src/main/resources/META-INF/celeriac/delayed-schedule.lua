-- Adds a delayed task: its payload to the hash, its id to the due set scored by due time, and
-- one to the count of delayed tasks of the queue it returns to.
-- KEYS[1] due set, KEYS[2] claimed set, KEYS[3] payload hash, KEYS[4] per-queue counts (one hash slot)
-- ARGV[1] id, ARGV[2] due time in epoch milliseconds, ARGV[3] payload, ARGV[4] queue ('' for none)
if redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) == 1 and ARGV[4] ~= '' then
  redis.call('HINCRBY', KEYS[4], ARGV[4], 1)
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1
