-- Adds one chord header member's outcome to the chord's join set, as Celery 5.2's Redis
-- backend does in on_chord_part_return (ZADD then ZCOUNT in one transaction).
-- KEYS[1] celery-taskset-meta-<group_id>.j: sorted set of [1, task_id, state, result] JSON,
--         scored by the member's group_index
-- ARGV[1] the member's JSON, ARGV[2] its score ('+inf' without an index), ARGV[3] expiry (s), 0 for none
-- Returns how many members are in the set, this one included (adding the same member
-- twice, as a redelivered task does, counts it once).
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local count = redis.call('ZCOUNT', KEYS[1], '-inf', '+inf')
if tonumber(ARGV[3]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return count
