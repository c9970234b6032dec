-- Decides one call of a debounced task, atomically across producers, by Redis's clock.
-- KEYS[1] pending: set while a delayed call waits, holds its due time (ms)
-- KEYS[2] last: when the last call was (or will be) sent (ms)
-- ARGV[1] window in ms, ARGV[2] '1' to always delay
-- Returns {outcome, delay ms, mark, previous}: outcome 0 now, 1 delayed, 2 skipped; mark is
-- the value this call wrote to last, previous what last held before ('' if nothing), so
-- that debounce-undo.lua can take the decision back.
local window = tonumber(ARGV[1])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {2, 0, '', ''}
end
local last = redis.call('GET', KEYS[2])
local previous = last or ''
if ARGV[2] == '1' then
  redis.call('SET', KEYS[1], now + window, 'PX', window)
  redis.call('SET', KEYS[2], now + window, 'PX', 2 * window)
  return {1, window, tostring(now + window), previous}
end
if (not last) or (now - tonumber(last) >= window) then
  redis.call('SET', KEYS[2], now, 'PX', window)
  return {0, 0, tostring(now), previous}
end
local delay = window - (now - tonumber(last))
redis.call('SET', KEYS[1], tonumber(last) + window, 'PX', delay)
redis.call('SET', KEYS[2], tonumber(last) + window, 'PX', delay + window)
return {1, delay, tostring(tonumber(last) + window), previous}
