-- Deletes lock KEYS[1] only if owner token ARGV[1] holds it, then, if somebody waits for it
-- (KEYS[2] marked by lock-acquire.lua), announces the release of lock ARGV[3] on channel ARGV[2].
-- Returns 1 when released, 0 when the owner did not hold it.
if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  if redis.call('exists', KEYS[2]) == 1 then
    redis.call('publish', ARGV[2], ARGV[3])
  end
  return 1
end
return 0
