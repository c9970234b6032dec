-- Keeps a running processing (and its pending callback arguments) alive for longer.
-- KEYS[1] pending, KEYS[2] processing; ARGV[1] pending timeout in ms
local timeout = tonumber(ARGV[1])
redis.call('PEXPIRE', KEYS[2], timeout)
redis.call('PEXPIRE', KEYS[1], 2 * timeout)
return 1
