-- Removes published tasks, and counts each one off the queue it returns to. A payload that names
-- its queue starts with '<length of the name>:<name>' (see RedisDelayedTaskStore).
-- KEYS[1] due set, KEYS[2] claimed set, KEYS[3] payload hash, KEYS[4] per-queue counts (one hash slot)
-- ARGV the ids
for _, id in ipairs(ARGV) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[1], id)
  local payload = redis.call('HGET', KEYS[3], id)
  if payload then
    redis.call('HDEL', KEYS[3], id)
    local colon = string.find(payload, ':', 1, true)
    local length = colon and tonumber(string.sub(payload, 1, colon - 1))
    if length then
      local queue = string.sub(payload, colon + 1, colon + length)
      if redis.call('HINCRBY', KEYS[4], queue, -1) <= 0 then
        redis.call('HDEL', KEYS[4], queue)
      end
    end
  end
end
return #ARGV
