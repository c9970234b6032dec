-- Puts a message on a queue as kombu's Redis transport does (LPUSH on the list of its priority step; consumers
-- take from the other end), and wakes the Celeriac consumers waiting on the queue.
-- KEYS: 1 the list of the message's priority step, 2 the queue's notify list (Celeriac's)
-- ARGV: 1 the kombu JSON envelope, 2 how many wake-up tokens the notify list keeps
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[2], '1')
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
return 1
