-- Removes every ready message of a queue, as kombu's _purge does (LLEN and DEL of each priority list);
-- unacknowledged ones stay.
-- KEYS: the queue's lists
-- Returns how many messages were removed.
local removed = 0
for i = 1, #KEYS do
  removed = removed + redis.call('LLEN', KEYS[i])
  redis.call('DEL', KEYS[i])
end
return removed
