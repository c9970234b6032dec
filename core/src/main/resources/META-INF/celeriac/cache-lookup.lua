-- Looks a cache region entry up and, when it needs computing and nobody holds its write
-- lock, takes the lock (SET NX PX), all atomically. Times come from the server's clock.
-- KEYS[1] the entry: a hash, v = JSON value, c = creation time (ms)
-- KEYS[2] the region's invalidation times: a hash, '*' = the region, <namespace> = a function
-- KEYS[3] the entry's write lock
-- KEYS[4] the region's statistics: a hash, hits:<namespace>, misses:<namespace>, stale:<namespace>
-- ARGV[1] namespace, ARGV[2] expires (ms), ARGV[3] lock token, ARGV[4] lock expires (ms),
-- ARGV[5] '1' to count the outcome
-- Returns {outcome, value or '', now (ms)}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local entry = redis.call('HMGET', KEYS[1], 'v', 'c')
local value = entry[1]
local created = tonumber(entry[2])
if value and created then
  local invalidated = redis.call('HMGET', KEYS[2], '*', ARGV[1])
  local region = tonumber(invalidated[1])
  local fn = tonumber(invalidated[2])
  if (region and created <= region) or (fn and created <= fn) then
    value = false
  end
else
  value = false
end
local statistics = ARGV[5] == '1'
if value and now - created < tonumber(ARGV[2]) then
  if statistics then
    redis.call('HINCRBY', KEYS[4], 'hits:' .. ARGV[1], 1)
  end
  return {'FRESH', value, now}
end
local locked = redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[4])
local counted = nil
local outcome
if value then
  if locked then
    outcome, counted = 'REGENERATE', 'misses:'
  else
    outcome, counted = 'STALE', 'stale:'
  end
elseif locked then
  outcome, counted, value = 'COMPUTE', 'misses:', ''
else
  outcome, value = 'WAIT', ''
end
if statistics and counted then
  redis.call('HINCRBY', KEYS[4], counted .. ARGV[1], 1)
end
return {outcome, value, now}
