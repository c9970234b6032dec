-- Takes back one debounce decision whose task could not be published, unless a later
-- decision replaced it.
-- KEYS[1] pending, KEYS[2] last (as in debounce.lua)
-- ARGV[1] mark: the value the decision wrote; ARGV[2] previous value of last ('' if none);
-- ARGV[3] window in ms
-- Returns 1 if the decision was taken back, 0 if a later one had replaced it.
local mark = ARGV[1]
if redis.call('GET', KEYS[2]) ~= mark then
  return 0
end
if redis.call('GET', KEYS[1]) == mark then
  redis.call('DEL', KEYS[1])
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local previous = tonumber(ARGV[2])
if previous and previous + tonumber(ARGV[3]) > now then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', previous + tonumber(ARGV[3]) - now)
else
  redis.call('DEL', KEYS[2])
end
return 1
