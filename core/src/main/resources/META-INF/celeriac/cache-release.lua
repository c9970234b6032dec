-- Releases a cache region entry's write lock if the caller's token owns it.
-- KEYS[1] the write lock, ARGV[1] lock token
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
