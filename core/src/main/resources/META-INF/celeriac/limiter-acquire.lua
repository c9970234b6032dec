-- A limiter's places: sorted set KEYS[1] of holder keys scored by expiry (milliseconds of the
-- server's clock), hash KEYS[2] of holder key -> permit token; both in one hash slot.
-- Prunes expired holders, then gives holder ARGV[1] with token ARGV[2] a place for ARGV[4]
-- milliseconds if it holds none and fewer than ARGV[3] places are taken.
-- When no place is free and the caller will wait ARGV[5] milliseconds (0: it will not), marks
-- KEYS[3] for that long so that releases are announced only while somebody waits.
-- Returns {1, 0} when taken, {0, milliseconds until the first place expires} when not.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('zrangebyscore', KEYS[1], '-inf', now)
for _, holder in ipairs(expired) do
  redis.call('hdel', KEYS[2], holder)
end
if #expired > 0 then
  redis.call('zremrangebyscore', KEYS[1], '-inf', now)
end
if redis.call('zscore', KEYS[1], ARGV[1]) or redis.call('zcard', KEYS[1]) >= tonumber(ARGV[3]) then
  local wait = tonumber(ARGV[5])
  if wait > 0 and redis.call('pttl', KEYS[3]) < wait then
    redis.call('set', KEYS[3], '1', 'PX', wait)
  end
  local first = redis.call('zrange', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(first[2]) - now)}
end
local expiry = now + tonumber(ARGV[4])
redis.call('zadd', KEYS[1], expiry, ARGV[1])
redis.call('hset', KEYS[2], ARGV[1], ARGV[2])
-- the keys go when their last holder expires
local last = redis.call('zrange', KEYS[1], -1, -1, 'WITHSCORES')
local until_last = string.format('%d', math.max(expiry, tonumber(last[2])))
redis.call('pexpireat', KEYS[1], until_last)
redis.call('pexpireat', KEYS[2], until_last)
return {1, 0}
