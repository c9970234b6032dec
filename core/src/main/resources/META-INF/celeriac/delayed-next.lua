-- Returns when the store next has a task to claim, in epoch milliseconds: the earliest due time
-- or lapse of a claim, or -1 when it holds nothing.
-- KEYS[1] due set, KEYS[2] claimed set (one hash slot)
local next = -1
for _, key in ipairs({ KEYS[1], KEYS[2] }) do
  local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  if first[2] then
    local score = tonumber(first[2])
    if next < 0 or score < next then
      next = score
    end
  end
end
return next
