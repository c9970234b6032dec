-- Moves the visibility deadline of an unacknowledged message to now plus an extension. kombu restores a message
-- whose unacked_index score (its delivery time) is older than now minus the visibility timeout, so the score
-- becomes now + extension - visibility timeout.
-- KEYS: 1 unacked, 2 unacked_index
-- ARGV: 1 delivery tag, 2 the new score (seconds)
-- Returns 1, or 0 when the message is no longer unacknowledged (settled, or restored to its queue).
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
