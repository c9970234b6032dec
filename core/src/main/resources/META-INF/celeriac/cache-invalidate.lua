-- Records, on the server's clock, that a region or a function was invalidated: entries
-- created at or before this time are read as absent.
-- KEYS[1] the region's or the function's invalidation time
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('SET', KEYS[1], now)
return now
