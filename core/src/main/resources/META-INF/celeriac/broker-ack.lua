-- Forgets an unacknowledged message, as kombu's QoS.ack does (ZREM unacked_index, HDEL unacked), and Celeriac's
-- record of its queue.
-- KEYS: 1 unacked, 2 unacked_index, 3 unacked_queue (Celeriac's)
-- ARGV: 1 delivery tag
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return redis.call('HDEL', KEYS[1], ARGV[1])
