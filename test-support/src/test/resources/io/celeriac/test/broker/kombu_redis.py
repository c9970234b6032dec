"""kombu's Redis transport on one side of RedisKombuInteropTests.

  python3 kombu_redis.py URL PREFIX fanout EXCHANGE QUEUE
      consumes a fanout exchange, prints 'ready', then one JSON line per message received:
      {"body": ..., "exchange": ..., "content_type": ...}
  python3 kombu_redis.py URL PREFIX publish EXCHANGE ROUTING_KEY JSON
      publishes JSON to a fanout exchange and prints 'published'
  python3 kombu_redis.py URL PREFIX take QUEUE
      takes one message without acknowledging it, prints its JSON line, and exits at once (as a
      killed worker would: the message stays in kombu's unacked hash)
  python3 kombu_redis.py URL PREFIX restore VISIBILITY_SECONDS
      runs kombu's restore_visible once with that visibility timeout and prints 'restored'
"""
import json
import os
import sys

from kombu import Connection, Exchange, Queue


def line(message, body):
    return json.dumps({
        "body": body,
        "exchange": message.delivery_info.get("exchange"),
        "routing_key": message.delivery_info.get("routing_key"),
        "content_type": message.content_type,
        "redelivered": message.delivery_info.get("redelivered"),
    })


def main(url, prefix, command, *args):
    options = {"global_keyprefix": prefix}
    if command == "restore":
        options["visibility_timeout"] = float(args[0])
    with Connection(url, transport_options=options) as connection:
        if command == "fanout":
            exchange, queue = args
            def on_message(body, message):
                print(line(message, body), flush=True)
                message.ack()
            with connection.Consumer(Queue(queue, Exchange(exchange, "fanout"), auto_delete=True),
                                     callbacks=[on_message], accept=["json"]):
                print("ready", flush=True)
                while True:
                    connection.drain_events(timeout=60)
        elif command == "publish":
            exchange, routing_key, body = args
            connection.Producer().publish(json.loads(body), exchange=Exchange(exchange, "fanout"),
                                          routing_key=routing_key, serializer="json", declare=[Exchange(exchange, "fanout")])
            print("published", flush=True)
        elif command == "take":
            (queue,) = args
            taken = []
            def on_message(body, message):
                taken.append(line(message, body))
            with connection.Consumer(Queue(queue, no_declare=True), callbacks=[on_message], accept=["json"]):
                while not taken:
                    connection.drain_events(timeout=30)
            print(taken[0], flush=True)
            os._exit(0)
        elif command == "restore":
            connection.default_channel.qos.restore_visible(num=100)
            print("restored", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
