-- Stores a cached operation's result (or redirection), takes the pending callback arguments
-- and forgets the running processing, atomically: a caller that arrives after this sees the
-- result, a caller that arrived before is in the list returned, never both, never neither.
-- The taken arguments stay in 'delivering' until the caller confirms their delivery, so that
-- the next completion (a redelivered processing whose worker died in the callback) takes
-- them again: callbacks are at least once.
-- KEYS[1] where to store (result or redirect), KEYS[2] pending, KEYS[3] processing,
-- KEYS[4] delivering
-- ARGV[1] the value ('' to store nothing: a quarantined request), ARGV[2] expiry in ms,
-- ARGV[3] how long undelivered arguments are kept, in ms
-- Returns the undelivered arguments of earlier completions, then the pending ones.
if ARGV[1] ~= '' then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
end
local args = redis.call('LRANGE', KEYS[2], 0, -1)
for i = 1, #args do
  redis.call('RPUSH', KEYS[4], args[i])
end
redis.call('DEL', KEYS[2], KEYS[3])
local taken = redis.call('LRANGE', KEYS[4], 0, -1)
if #taken > 0 then
  redis.call('PEXPIRE', KEYS[4], tonumber(ARGV[3]))
end
return taken
