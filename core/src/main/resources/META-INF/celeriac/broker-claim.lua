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
    -- the fields as kombu and Celeriac write them, found without decoding the whole envelope: both write
    -- "properties" last, the body is base64, and quotes inside JSON strings are escaped; anything else is
    -- decoded
    local properties
    local from = 1
    while true do
      local found = string.find(payload, '"properties":', from, true)
      if not found then
        break
      end
      properties = found
      from = found + 1
    end
    if properties then
      tag = string.match(payload, '"delivery_tag":%s*"([^"\\]*)"', properties)
      local _, info = string.find(payload, '"delivery_info":%s*{', properties)
      if info then
        exchange = string.match(payload, '^{[^}]-"exchange":%s*"([^"\\]*)"', info)
        routing_key = string.match(payload, '^{[^}]-"routing_key":%s*"([^"\\]*)"', info)
      end
    end
    if not (tag and exchange and routing_key) then
      tag, exchange, routing_key = nil, nil, nil
      local ok, envelope = pcall(cjson.decode, payload)
      if ok and type(envelope) == 'table' and type(envelope['properties']) == 'table' then
        local fields = envelope['properties']
        if fields['delivery_tag'] ~= nil and fields['delivery_tag'] ~= cjson.null then
          tag = tostring(fields['delivery_tag'])
        end
        local delivery_info = fields['delivery_info']
        if type(delivery_info) == 'table' then
          if type(delivery_info['exchange']) == 'string' then
            exchange = cjson.encode(delivery_info['exchange'])
          end
          if type(delivery_info['routing_key']) == 'string' then
            routing_key = cjson.encode(delivery_info['routing_key'])
          end
        end
      end
    else
      exchange = '"' .. exchange .. '"'
      routing_key = '"' .. routing_key .. '"'
    end
    if not tag then
      -- not written by kombu: still held as unacknowledged, under a tag of its own
      tag = 'celeriac-' .. redis.sha1hex(payload .. ARGV[2] .. KEYS[i])
    end
    if redis.call('HEXISTS', KEYS[1], tag) == 1 then
      -- kombu gives the copies of one topic publish one tag (e.g. a service queue's and the monitor queue's)
      tag = tag .. '.' .. ARGV[1]
    end
    if not exchange then
      exchange = '""'
    end
    if not routing_key then
      routing_key = cjson.encode(ARGV[1])
    end
    -- exchange and routing key are JSON string literals here
    redis.call('HSET', KEYS[1], tag, '[' .. payload .. ', ' .. exchange .. ', ' .. routing_key .. ']')
    redis.call('ZADD', KEYS[2], ARGV[2], tag)
    redis.call('HSET', KEYS[3], tag, ARGV[1])
    return { payload, tag }
  end
end
return {}
