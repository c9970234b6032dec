-- Resets the time to live of lock KEYS[1] to ARGV[2] milliseconds only if owner token ARGV[1]
-- holds it. Returns 1 when extended, 0 when the owner did not hold it.
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('pexpire', KEYS[1], ARGV[2])
  return 1
end
return 0
