-- Sets result key KEYS[1] to the JSON meta ARGV[1] for ARGV[2] milliseconds and publishes it on
-- the channel of the same name, unless the key holds a final state (SUCCESS, FAILURE, REVOKED) or
-- a value that is not Celery's JSON meta (whose state cannot be told, so it is kept).
-- Returns 1 if the result was set, 0 if the recorded one was kept.
local recorded = redis.call('get', KEYS[1])
if recorded then
    local ok, meta = pcall(cjson.decode, recorded)
    if not ok or type(meta) ~= 'table' then
        return 0
    end
    local status = meta['status']
    if status == 'SUCCESS' or status == 'FAILURE' or status == 'REVOKED' then
        return 0
    end
end
redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('publish', KEYS[1], ARGV[1])
return 1
