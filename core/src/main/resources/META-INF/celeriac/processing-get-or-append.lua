-- Looks a cached operation's result up, or joins (or starts) its processing, atomically.
-- KEYS[1] result (string: the JSON result)
-- KEYS[2] redirect (string: the URI whose result this URI shares)
-- KEYS[3] pending (list: callback arguments, JSON, in arrival order)
-- KEYS[4] processing (string: the id of the running processing)
-- ARGV[1] candidate processing id, ARGV[2] pending timeout in ms, ARGV[3..] callback arguments
-- Returns {kind, value}: 'hit' result, 'redirect' target, 'started' id, 'joined' id.
local result = redis.call('GET', KEYS[1])
if result then
  return {'hit', result}
end
local target = redis.call('GET', KEYS[2])
if target then
  return {'redirect', target}
end
local timeout = tonumber(ARGV[2])
for i = 3, #ARGV do
  redis.call('RPUSH', KEYS[3], ARGV[i])
end
-- the arguments outlive the processing marker, so that the next processing gets them;
-- a shorter timeout never cuts a longer life short
if redis.call('PTTL', KEYS[3]) < 2 * timeout then
  redis.call('PEXPIRE', KEYS[3], 2 * timeout)
end
local running = redis.call('GET', KEYS[4])
if running then
  return {'joined', running}
end
redis.call('SET', KEYS[4], ARGV[1], 'PX', timeout)
return {'started', ARGV[1]}
