-- Puts a message on a queue of the Redis broker, if the queue is declared.
-- KEYS: 1 queue marker, 2 ready list of the message's priority band, 3 message hash, 4 notify list
-- ARGV: 1 delivery id, 2 serialized message, 3 how many wake-up tokens the notify list keeps
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('RPUSH', KEYS[4], '1')
redis.call('LTRIM', KEYS[4], -tonumber(ARGV[3]), -1)
return 1
