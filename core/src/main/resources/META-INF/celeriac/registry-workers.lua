-- Prunes the workers of sorted set KEYS[1] whose deadline has passed (and their keys), then
-- returns the descriptions of the others, ordered by id. A worker's key is KEYS[1] .. ':' .. id,
-- in the same hash slot as KEYS[1] (the hash tag is in KEYS[1]).
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local dead = redis.call('zrangebyscore', KEYS[1], '-inf', now)
for _, id in ipairs(dead) do
  redis.call('del', KEYS[1] .. ':' .. id)
end
if #dead > 0 then
  redis.call('zremrangebyscore', KEYS[1], '-inf', now)
end
local live = redis.call('zrange', KEYS[1], 0, -1)
table.sort(live)
local descriptions = {}
for _, id in ipairs(live) do
  local description = redis.call('get', KEYS[1] .. ':' .. id)
  if description then
    table.insert(descriptions, description)
  else
    redis.call('zrem', KEYS[1], id)
  end
end
return descriptions
