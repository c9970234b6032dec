-- Removes every ready message of a queue of the Redis broker; in-flight ones stay.
-- KEYS: 1..3 ready lists high, medium, main; 4 message hash; 5 redelivered hash
-- Returns how many messages were removed.
local removed = 0
for band = 1, 3 do
  local ids = redis.call('LRANGE', KEYS[band], 0, -1)
  for _, id in ipairs(ids) do
    removed = removed + redis.call('HDEL', KEYS[4], id)
    redis.call('HDEL', KEYS[5], id)
  end
  redis.call('DEL', KEYS[band])
end
return removed
