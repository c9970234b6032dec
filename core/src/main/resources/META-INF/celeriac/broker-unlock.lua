-- Releases the unacked_mutex if this holder still has it (as redis-py's Lock, which kombu's Mutex uses, does).
-- KEYS: 1 unacked_mutex
-- ARGV: 1 the holder's token
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
