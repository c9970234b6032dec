-- Registers worker ARGV[1] with description ARGV[2] for ARGV[3] milliseconds: its key KEYS[2]
-- expires then, and the sorted set KEYS[1] scores it with that deadline. Time is the server's,
-- so the workers' clocks need not agree. All keys share one hash slot.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('zadd', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
return now
