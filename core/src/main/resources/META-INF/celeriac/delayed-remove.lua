-- Removes published tasks.
-- KEYS[1] due set, KEYS[2] claimed set, KEYS[3] payload hash (one hash slot)
-- ARGV the ids
for _, id in ipairs(ARGV) do
  redis.call('ZREM', KEYS[2], id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[3], id)
end
return #ARGV
