-- GCRA reservation: KEYS[1] holds the theoretical arrival time (microseconds of the server's clock)
-- of the next acquisition. ARGV[1] is the emission interval (period / limit) and ARGV[2] the
-- period, both in microseconds. Always counts one acquisition, at the first time the rate allows
-- it, so that reservations queue up one interval apart after a burst of up to limit.
-- Returns the microseconds until the reserved acquisition is due, 0 for now.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local interval = tonumber(ARGV[1])
local arrival = tonumber(redis.call('get', KEYS[1]) or now)
if arrival < now then
  arrival = now
end
local allow_at = arrival + interval - tonumber(ARGV[2])
local next_arrival = arrival + interval
redis.call('set', KEYS[1], string.format('%d', next_arrival), 'PX', math.ceil((next_arrival - now) / 1000))
if allow_at <= now then
  return 0
end
return allow_at - now
