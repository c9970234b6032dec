-- Moves the visibility deadline of an in-flight message of the Redis broker to now plus an extension.
-- KEYS: 1 in-flight sorted set
-- ARGV: 1 delivery id, 2 extension in milliseconds
-- Returns 1, or 0 when the message is no longer in flight (settled, or given to another consumer).
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1
