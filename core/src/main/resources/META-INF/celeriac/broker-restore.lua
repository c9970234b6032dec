-- Gives an unacknowledged message back, as kombu's restore_by_tag does: only if it is still unacknowledged as the
-- caller read it (kombu WATCHes the unacked hash), it leaves unacked, unacked_index and Celeriac's unacked_queue,
-- and its envelope (marked redelivered by the caller) goes on each target list: RPUSH (the consuming end, next to
-- be taken) for a visibility timeout restore, LPUSH (the back) for a requeue, as kombu's leftmost does.
-- KEYS: 1 unacked, 2 unacked_index, 3 unacked_queue, then pairs (target list, its queue's notify list)
-- ARGV: 1 delivery tag, 2 the unacked entry as read (empty for a consumer's requeue, which gives back the entry its
--       tag has), 3 the envelope to push, 4 '1' to push at the back, 5 how many wake-up tokens a notify list keeps
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if not entry or (ARGV[2] ~= '' and entry ~= ARGV[2]) then
  return 0
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
for i = 4, #KEYS, 2 do
  if ARGV[4] == '1' then
    redis.call('LPUSH', KEYS[i], ARGV[3])
  else
    redis.call('RPUSH', KEYS[i], ARGV[3])
  end
  redis.call('RPUSH', KEYS[i + 1], '1')
  redis.call('LTRIM', KEYS[i + 1], -tonumber(ARGV[5]), -1)
end
return 1
