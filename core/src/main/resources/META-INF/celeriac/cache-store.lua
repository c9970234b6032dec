-- Stores a cache region entry and releases its write lock if the caller's token owns it.
-- KEYS[1] the entry, KEYS[2] its write lock
-- ARGV[1] JSON value, ARGV[2] creation time (ms), ARGV[3] store expiration (ms), ARGV[4] lock token
redis.call('SET', KEYS[1], ARGV[2] .. ':' .. ARGV[1], 'PX', ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[4] then
  redis.call('DEL', KEYS[2])
end
return 1
