-- Stores a cached operation's result (or redirection), takes the pending callback arguments
-- and forgets the running processing, atomically: a caller that arrives after this sees the
-- result, a caller that arrived before is in the list returned, never both, never neither.
-- KEYS[1] where to store (result or redirect), KEYS[2] pending, KEYS[3] processing
-- ARGV[1] the value ('' to store nothing: a quarantined request), ARGV[2] expiry in ms
-- Returns the pending callback arguments.
if ARGV[1] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
end
local args = redis.call('LRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[2], KEYS[3])
return args
