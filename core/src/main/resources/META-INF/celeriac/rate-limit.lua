-- GCRA: KEYS[1] holds the theoretical arrival time (microseconds of the server's clock) of the
-- next acquisition. ARGV[1] is the emission interval (period / limit) and ARGV[2] the period,
-- both in microseconds. Counts one acquisition if allowed now.
-- Returns {1, 0} when allowed, {0, microseconds until it would be} when not.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local arrival = tonumber(redis.call('get', KEYS[1]) or now)
if arrival < now then
  arrival = now
end
local allow_at = arrival + interval - tonumber(ARGV[2])
if now < allow_at then
  return {0, allow_at - now}
end
local next_arrival = arrival + interval
redis.call('set', KEYS[1], string.format('%d', next_arrival), 'PX', math.ceil((next_arrival - now) / 1000))
return {1, 0}
