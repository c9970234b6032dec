-- Gives up a processing whose task could not be sent, if it is still the one running.
-- KEYS[1] processing (string: the id of the running processing), ARGV[1] the processing id
-- Returns 1 when it was given up, 0 when another processing runs (or none).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
