-- Claims tick ARGV[2] (epoch milliseconds) of schedule ARGV[1]: records it in hash KEYS[1]
-- (schedule name -> last tick) if it is later than the tick recorded there, or none is.
-- Returns 1 when claimed, 0 when the schedule's last tick is this one or a later one.
local last = redis.call('hget', KEYS[1], ARGV[1])
if last and tonumber(last) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
return 1
