-- Counts the unacknowledged messages taken from a queue by Celeriac consumers, forgetting the records of those
-- that are no longer in the unacked hash (restored by a kombu worker, which knows nothing of unacked_queue).
-- KEYS: 1 unacked, 2 unacked_queue (Celeriac's)
-- ARGV: 1 the queue's name
local count = 0
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  if redis.call('HEXISTS', KEYS[1], entries[i]) == 0 then
    redis.call('HDEL', KEYS[2], entries[i])
  elseif entries[i + 1] == ARGV[1] then
    count = count + 1
  end
end
return count
