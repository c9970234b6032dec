-- Records, on the server's clock, that a region ('*') or a function (its namespace) was
-- invalidated: entries created at or before this time are read as absent.
-- KEYS[1] the region's invalidation times, ARGV[1] '*' or the namespace
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('HSET', KEYS[1], ARGV[1], now)
return now
