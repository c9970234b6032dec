-- Records task ids ARGV[4..] as revoked at ARGV[1] (milliseconds) in the sorted set KEYS[1],
-- then forgets the ids revoked at or before ARGV[2] and, past ARGV[3] ids, the oldest.
for i = 4, #ARGV do
  redis.call('zadd', KEYS[1], tonumber(ARGV[1]), ARGV[i])
end
redis.call('zremrangebyscore', KEYS[1], '-inf', tonumber(ARGV[2]))
local excess = redis.call('zcard', KEYS[1]) - tonumber(ARGV[3])
if excess > 0 then
  redis.call('zremrangebyrank', KEYS[1], 0, excess - 1)
end
return #ARGV - 3
