-- Claims due tasks and tasks whose claim lapsed: moves their ids to the claimed set,
-- scored by when the claim lapses, and returns id, payload, id, payload, ...
-- Safe for any number of concurrent schedulers: the script runs atomically.
-- KEYS[1] due set, KEYS[2] claimed set, KEYS[3] payload hash (one hash slot)
-- ARGV[1] now in epoch milliseconds, ARGV[2] most tasks to claim, ARGV[3] claim lapses at
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max)
if #ids < max then
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, max - #ids)
  for _, id in ipairs(due) do
    redis.call('ZREM', KEYS[1], id)
    ids[#ids + 1] = id
  end
end
local claimed = {}
for _, id in ipairs(ids) do
  local payload = redis.call('HGET', KEYS[3], id)
  if payload then
    redis.call('ZADD', KEYS[2], ARGV[3], id)
    claimed[#claimed + 1] = id
    claimed[#claimed + 1] = payload
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return claimed
