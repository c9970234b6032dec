-- Counts the unexpired holders of limiter KEYS[1] (sorted set scored by expiry).
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return redis.call('zcount', KEYS[1], string.format('(%d', now), '+inf')
