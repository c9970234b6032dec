-- Takes lock KEYS[1] for owner token ARGV[1] for ARGV[2] milliseconds if nobody holds it, and
-- increments the key's fencing counter KEYS[2] (same hash slot) in the same atomic step.
-- Returns {1, fencing token} when taken, {0, milliseconds until the holder's lock expires} when not.
if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('incr', KEYS[2])}
end
return {0, redis.call('pttl', KEYS[1])}
