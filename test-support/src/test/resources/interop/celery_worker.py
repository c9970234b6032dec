"""A Python Celery worker for the interoperability tests.

Environment: BROKER (amqp URL), BACKEND (result backend URL), EXCHANGE (topic exchange),
QUEUE (queue to consume, bound with routing key 'pyinterop').
"""
import os

from celery import Celery
from kombu import Exchange, Queue

app = Celery("celery_worker", broker=os.environ["BROKER"], backend=os.environ["BACKEND"])
exchange = Exchange(os.environ["EXCHANGE"], "topic")
app.conf.task_queues = [Queue(os.environ["QUEUE"], exchange, routing_key="pyinterop")]
app.conf.result_extended = True
app.conf.task_track_started = True
app.conf.result_serializer = "json"
app.conf.accept_content = ["json"]


@app.task(name="pyinterop.multiply")
def multiply(a, b):
    return {"product": a * b, "factors": [a, b]}


@app.task(name="pyinterop.fail")
def fail(why):
    raise ValueError(why)
