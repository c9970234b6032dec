-- Looks a cache region entry up and, when it needs computing and nobody holds its write
-- lock, takes the lock (SET NX PX), all atomically. Times come from the server's clock.
-- A fresh hit is usually answered without this script, by one MGET of KEYS[1], KEYS[2]
-- and KEYS[5]; this script decides everything else.
-- KEYS[1] the entry: '<creation time (ms)>:<JSON value>'
-- KEYS[2] the region's invalidation time (ms), KEYS[5] the function's
-- KEYS[3] the entry's write lock
-- KEYS[4] the region's statistics: a hash, hits:<namespace>, misses:<namespace>, stale:<namespace>
-- ARGV[1] namespace, ARGV[2] expires (ms), ARGV[3] lock token, ARGV[4] lock expires (ms),
-- ARGV[5] '1' to count the outcome
-- Returns {outcome, value or '', now (ms)}
-- a key an older layout left as a hash reads as absent; storing the entry replaces it
local function get(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' then
    return false
  end
  return value
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local entry = get(KEYS[1])
local value = false
local created = nil
if entry then
  local colon = string.find(entry, ':', 1, true)
  if colon then
    created = tonumber(string.sub(entry, 1, colon - 1))
    value = string.sub(entry, colon + 1)
  end
end
if value and created then
  local region = tonumber(get(KEYS[2]))
  local fn = tonumber(get(KEYS[5]))
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
