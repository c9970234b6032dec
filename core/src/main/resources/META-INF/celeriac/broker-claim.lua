-- Takes the next message of a queue of the Redis broker: first returns in-flight messages whose
-- visibility deadline passed to the head of their band (counted in the redelivered hash), then moves the head of
-- the first non-empty band (high, medium, main) into the in-flight sorted set, scored by its deadline.
-- KEYS: 1..3 ready lists high, medium, main; 4 in-flight sorted set; 5 message hash;
--       6 redelivered hash (id -> times the message came back unsettled); 7 notify list
-- ARGV: 1 visibility timeout in milliseconds, 2 how many expired messages one call returns at most
-- Returns {id, message, times it came back (0 for a first delivery)} or an empty array when nothing
-- is ready.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local expired = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[4], id)
  redis.call('HINCRBY', KEYS[6], id, 1)
  redis.call('LPUSH', KEYS[1 + tonumber(string.sub(id, 1, 1))], id)
  redis.call('RPUSH', KEYS[7], '1')
end
for band = 1, 3 do
  while true do
    local id = redis.call('LPOP', KEYS[band])
    if not id then
      break
    end
    local message = redis.call('HGET', KEYS[5], id)
    if message then
      redis.call('ZADD', KEYS[4], now + tonumber(ARGV[1]), id)
      return { id, message, tonumber(redis.call('HGET', KEYS[6], id) or '0') }
    end
  end
end
return {}
