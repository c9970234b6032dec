-- Takes lock KEYS[1] for owner token ARGV[1] for ARGV[2] milliseconds if nobody holds it, and
-- increments the key's fencing counter KEYS[2] in the same atomic step.
-- When the lock is held and the caller will wait ARGV[3] milliseconds (0: it will not), marks
-- KEYS[3] for that long so that releases are announced only while somebody waits.
-- All keys share one hash slot.
-- Returns {1, fencing token} when taken, {0, milliseconds until the holder's lock expires} when not.
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('incr', KEYS[2])}
end
local wait = tonumber(ARGV[3])
if wait > 0 and redis.call('pttl', KEYS[3]) < wait then
  redis.call('set', KEYS[3], '1', 'PX', wait)
end
return {0, redis.call('pttl', KEYS[1])}
