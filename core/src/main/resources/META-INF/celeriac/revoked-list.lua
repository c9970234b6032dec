-- Forgets the ids of the sorted set KEYS[1] revoked at or before ARGV[1] (milliseconds); then,
-- with ARGV[2], returns {ARGV[2]} if that id is still revoked (or {}), and without it every id
-- and its time, oldest first.
redis.call('zremrangebyscore', KEYS[1], '-inf', tonumber(ARGV[1]))
if ARGV[2] then
  if redis.call('zscore', KEYS[1], ARGV[2]) then
    return {ARGV[2]}
  end
  return {}
end
return redis.call('zrange', KEYS[1], 0, -1, 'withscores')
