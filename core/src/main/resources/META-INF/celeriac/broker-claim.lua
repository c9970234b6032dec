-- Takes the next message of a queue as kombu's Redis transport does (RPOP of the lists of its priority steps in
-- order), and in the same step records it unacknowledged as kombu's QoS.append does: the unacked hash holds
-- delivery tag -> [envelope, exchange, routing key], the unacked_index sorted set delivery tag -> delivery time
-- (seconds). Celeriac's unacked_queue hash remembers the queue it came from. Atomic, so a consumer killed at any
-- point loses nothing (kombu's BRPOP then HSET leaves a window; this does not).
-- KEYS: 1 unacked, 2 unacked_index, 3 unacked_queue (Celeriac's), 4.. the queue's lists, most urgent first
-- ARGV: 1 the queue's name, 2 now in seconds
-- Returns {envelope, delivery tag} or an empty array when every list is empty.
for i = 4, #KEYS do
  local payload = redis.call('RPOP', KEYS[i])
  if payload then
    local tag, exchange, routing_key
    local ok, envelope = pcall(cjson.decode, payload)
    if ok and type(envelope) == 'table' and type(envelope['properties']) == 'table' then
      local properties = envelope['properties']
      if properties['delivery_tag'] ~= nil and properties['delivery_tag'] ~= cjson.null then
        tag = tostring(properties['delivery_tag'])
      end
      local info = properties['delivery_info']
      if type(info) == 'table' then
        exchange = info['exchange']
        routing_key = info['routing_key']
      end
    end
    if not tag then
      -- not written by kombu: still held as unacknowledged, under a tag of its own
      tag = 'celeriac-' .. redis.sha1hex(payload .. ARGV[2] .. KEYS[i])
    end
    if redis.call('HEXISTS', KEYS[1], tag) == 1 then
      -- kombu gives the copies of one topic publish one tag (e.g. a service queue's and the monitor queue's)
      tag = tag .. '.' .. ARGV[1]
    end
    if type(exchange) ~= 'string' then
      exchange = ''
    end
    if type(routing_key) ~= 'string' then
      routing_key = ARGV[1]
    end
    redis.call('HSET', KEYS[1], tag, '[' .. payload .. ', ' .. cjson.encode(exchange) .. ', ' .. cjson.encode(routing_key) .. ']')
    redis.call('ZADD', KEYS[2], ARGV[2], tag)
    redis.call('HSET', KEYS[3], tag, ARGV[1])
    return { payload, tag }
  end
end
return {}
