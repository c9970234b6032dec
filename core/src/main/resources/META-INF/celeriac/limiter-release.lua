-- Frees holder ARGV[1]'s place in limiter KEYS[1] (sorted set) / KEYS[2] (hash) if it holds one
-- with token ARGV[2] (any token when ARGV[2] is empty), then announces the release of limiter
-- ARGV[4] on channel ARGV[3] if somebody waits (KEYS[3], marked by limiter-acquire.lua). Returns 1 when an unexpired place was freed, 0 otherwise.
local token = redis.call('hget', KEYS[2], ARGV[1])
if not token or (ARGV[2] ~= '' and token ~= ARGV[2]) then
  return 0
end
local expiry = tonumber(redis.call('zscore', KEYS[1], ARGV[1]))
redis.call('zrem', KEYS[1], ARGV[1])
redis.call('hdel', KEYS[2], ARGV[1])
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if not expiry or expiry <= now then
  return 0
end
if redis.call('exists', KEYS[3]) == 1 then
  redis.call('publish', ARGV[3], ARGV[4])
end
return 1
