-- Gives an in-flight message of the Redis broker back: to the head of its band, counted in the redelivered hash.
-- KEYS: 1 ready list of its band, 2 in-flight sorted set, 3 redelivered hash, 4 notify list
-- ARGV: 1 delivery id
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[4], '1')
return 1
