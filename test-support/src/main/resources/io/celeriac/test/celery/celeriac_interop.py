"""A Python Celery app laid out like cadasta-workertoolbox's Config, for interoperability tests.

Everything comes from environment variables so that a test can give it names of its own:

  INTEROP_BROKER_URL        amqp URL                 default amqp://guest:guest@127.0.0.1:5672//
                            or sqs://KEY:SECRET@HOST:PORT for an SQS server at http://HOST:PORT
                            (kombu's SQS transport, with INTEROP_SQS_REGION, default us-east-1)
                            or redis://HOST:PORT/DB[?global_keyprefix=PREFIX] (kombu's Redis transport;
                            global_keyprefix is taken out of the URL into the transport options)
  INTEROP_EXCHANGE          topic exchange (durable) default task_exchange
  INTEROP_QUEUE_PREFIX      queue-name prefix        default $QUEUE_PREFIX, else dev-
  INTEROP_SERVICES          comma list of service queues, each bound by its own (unprefixed) name;
                            default pyservice
  INTEROP_MONITOR_QUEUE     monitor queue bound '#'  default platform.fifo; empty: none
  INTEROP_DECLARE           1: declare the topology (default); 0: only use what exists (no_declare)
  INTEROP_QUEUE_ARGUMENTS   JSON object of queue arguments for every queue, e.g. {"x-queue-type": "quorum"}
  INTEROP_RESULT_BACKEND    result backend URL       default none (results are not stored); e.g.
                            db+postgresql://postgres:@127.0.0.1:5432/postgres?options=-csearch_path%3Dmyschema
                            (result_extended is on)
  INTEROP_RECORD_FILE       file the pyservice tasks append one JSON line per run to
  INTEROP_SECURITY_KEY      private key file (PEM): with the next two, message signing is on
                            (task_serializer='auth', accept_content=['auth'], app.setup_security())
  INTEROP_SECURITY_CERTIFICATE  its certificate file (PEM)
  INTEROP_SECURITY_CERT_STORE   directory of the trusted certificates
  INTEROP_SECURITY_DIGEST   security_digest             default sha256
  INTEROP_SEND_EVENTS       1: the worker sends Celery's task and worker events (worker -E); default 0
  INTEROP_EVENT_EXCHANGE    the event exchange (event_exchange)  default celeryev
  INTEROP_REMOTE_CONTROL    1: the worker answers remote control commands (default 0: no pidbox queue)
  INTEROP_CONTROL_EXCHANGE  Celery's control_exchange   default celery (the pidbox is <it>.pidbox)

Queues are named <prefix><name> (prefix applied to the queue name only, as cadasta's SQS
queue_name_prefix does); binding keys are the unprefixed names. The router sends a task to the
exchange with the first segment of its name as routing key (cadasta's _route_task), so every task
reaches its service queue and the monitor queue.
"""
import json
import os
import time

from celery import Celery, signals
from kombu import Exchange, Queue


def _env(name, default):
    value = os.environ.get(name)
    return default if value is None else value


BROKER_URL = _env("INTEROP_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_KEY_PREFIX = ""
if BROKER_URL.startswith("redis://") and "?" in BROKER_URL:
    from urllib.parse import parse_qs, unquote
    BROKER_URL, _query = BROKER_URL.split("?", 1)
    REDIS_KEY_PREFIX = unquote(parse_qs(_query).get("global_keyprefix", [""])[0])
EXCHANGE = _env("INTEROP_EXCHANGE", "task_exchange")
PREFIX = _env("INTEROP_QUEUE_PREFIX", _env("QUEUE_PREFIX", "dev-"))
SERVICES = [s for s in _env("INTEROP_SERVICES", "pyservice").split(",") if s]
MONITOR_QUEUE = _env("INTEROP_MONITOR_QUEUE", "platform.fifo")
DECLARE = _env("INTEROP_DECLARE", "1") not in ("0", "false", "no")
QUEUE_ARGUMENTS = json.loads(_env("INTEROP_QUEUE_ARGUMENTS", "") or "null")
RESULT_BACKEND = _env("INTEROP_RESULT_BACKEND", "") or None
RECORD_FILE = _env("INTEROP_RECORD_FILE", "")
SECURITY_KEY = _env("INTEROP_SECURITY_KEY", "")

exchange = Exchange(EXCHANGE, "topic", durable=True, no_declare=not DECLARE)


def _queue(name, routing_key):
    return Queue(PREFIX + name, exchange, routing_key=routing_key, durable=True,
                 queue_arguments=QUEUE_ARGUMENTS, no_declare=not DECLARE)


def _generate_queues():
    queues = [_queue("celery", "celery")]
    if MONITOR_QUEUE:
        queues.append(_queue(MONITOR_QUEUE, "#"))
    queues += [_queue(name, name) for name in SERVICES if name not in ("celery", MONITOR_QUEUE)]
    return queues


def route_task(name, args, kwargs, options, task=None, **kw):
    """cadasta's Config._route_task: the routing key is the first segment of the task name.

    On SQS kombu keeps the exchange's bindings per connection, so every publish (a worker's chain
    steps, callbacks, retries and chord bodies included) declares the topology on the connection it
    publishes with; kombu's maybe_declare does that once per connection.
    """
    route = {"routing_key": name.split(".")[0], "exchange": exchange}
    if BROKER_URL.startswith("sqs://") and DECLARE:
        route["declare"] = list(app.conf.task_queues)
    return route


app = Celery("celeriac_interop", broker=BROKER_URL, backend=RESULT_BACKEND)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_default_exchange=EXCHANGE,
    task_default_exchange_type="topic",
    task_default_queue=PREFIX + "celery",
    task_queues=_generate_queues(),
    task_routes=(route_task,),
    task_track_started=True,
    result_extended=True,
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    worker_enable_remote_control=_env("INTEROP_REMOTE_CONTROL", "0") in ("1", "true", "yes"),
    control_exchange=_env("INTEROP_CONTROL_EXCHANGE", "celery"),
    worker_send_task_events=_env("INTEROP_SEND_EVENTS", "0") == "1",
    event_exchange=_env("INTEROP_EVENT_EXCHANGE", "celeryev"),
    worker_hijack_root_logger=True,
    broker_connection_retry_on_startup=True,
    broker_heartbeat=0,
)
if SECURITY_KEY:
    # Celery's message signing: every task is sent with the auth serializer and only auth
    # messages are accepted; results stay JSON
    app.conf.update(
        security_key=SECURITY_KEY,
        security_certificate=_env("INTEROP_SECURITY_CERTIFICATE", ""),
        security_cert_store=_env("INTEROP_SECURITY_CERT_STORE", ""),
        security_digest=_env("INTEROP_SECURITY_DIGEST", "sha256"),
        task_serializer="auth",
        accept_content=["auth"],
        result_accept_content=["json"],
    )
    app.setup_security()
if BROKER_URL.startswith("sqs://"):
    # kombu's SQS transport: the endpoint is http://HOST:PORT of the URL; short long polls so
    # that a test's worker stops quickly
    app.conf.broker_transport_options = {
        "region": _env("INTEROP_SQS_REGION", "us-east-1"),
        "is_secure": False,
        "wait_time_seconds": 1,
        "polling_interval": 0.2,
        "visibility_timeout": 60,
    }


if BROKER_URL.startswith("redis://"):
    # kombu's Redis transport: every key under the test's prefix; a visibility timeout longer than any
    # test task, so that no consumer restores a message that a live worker holds
    app.conf.broker_transport_options = {
        "global_keyprefix": REDIS_KEY_PREFIX,
        "visibility_timeout": 120,
    }


def declare_topology(channel=None):
    """Declares the exchange, every queue and its binding (a worker only declares what it consumes).

    On SQS the exchange and bindings live in the memory of one connection (kombu's virtual
    transport), so a producer declares them on the channel it publishes with; on Redis the bindings
    are shared (_kombu.binding.*) but the exchange's type is not, so the same holds.
    """
    if not DECLARE:
        return
    if channel is not None:
        for queue in app.conf.task_queues:
            queue(channel).declare()
        return
    with app.connection_for_write() as connection:
        declare_topology(connection.default_channel)


@signals.worker_init.connect
def _declare_on_worker_init(**kwargs):
    declare_topology()


def _record(task, **values):
    if not RECORD_FILE:
        return
    request = task.request
    delivery_info = request.delivery_info or {}
    record = {
        "task": task.name,
        "id": request.id,
        "args": list(request.args or []),
        "kwargs": dict(request.kwargs or {}),
        "retries": request.retries,
        "root_id": request.root_id,
        "parent_id": request.parent_id,
        "lang": getattr(request, "lang", None),
        "origin": getattr(request, "origin", None),
        "correlation_id": getattr(request, "correlation_id", None),
        "reply_to": request.reply_to,
        "routing_key": delivery_info.get("routing_key"),
        "exchange": delivery_info.get("exchange"),
        "redelivered": delivery_info.get("redelivered"),
        "pid": os.getpid(),
    }
    record.update(values)
    # one write of one line: concurrent worker processes do not interleave
    with open(RECORD_FILE, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")


@app.task(name="pyservice.multiply", bind=True)
def multiply(self, x, y):
    result = x * y
    _record(self, result=result)
    return result


@app.task(name="pyservice.sleep", bind=True)
def sleep(self, seconds):
    _record(self, phase="started")
    time.sleep(seconds)
    _record(self, phase="finished", result=seconds)
    return seconds


# Workflow tasks (chains, callbacks, chords)

@app.task(name="pyservice.add", bind=True)
def add(self, x, y):
    result = x + y
    _record(self, result=result)
    return result


@app.task(name="pyservice.tsum", bind=True)
def tsum(self, values):
    result = sum(values)
    _record(self, result=result)
    return result


@app.task(name="pyservice.fail", bind=True)
def fail(self, why):
    _record(self, phase="failed")
    raise ValueError(why)


@app.task(name="pyservice.errback", bind=True)
def errback(self, failed_task_id):
    _record(self, result=failed_task_id)
    return failed_task_id


@app.task(name="pyservice.flaky_add", bind=True, max_retries=3)
def flaky_add(self, x, y):
    """Fails its first attempt and retries itself after 1 s, as self.retry does."""
    if self.request.retries == 0:
        _record(self, phase="retrying")
        raise self.retry(exc=ConnectionError("first attempt fails"), countdown=1)
    result = x + y
    _record(self, result=result)
    return result


@app.task(name="pyservice.slow_add", bind=True)
def slow_add(self, x, y, seconds):
    _record(self, phase="started")
    time.sleep(seconds)
    result = x + y
    _record(self, phase="finished", result=result)
    return result


# backache's names on the wire (a service "backache" and a queue "backache-queue" in INTEROP_SERVICES)

@app.task(name="backache.callback.wordcount", bind=True)
def backache_wordcount_callback(self, result):
    """backache's operation callback: result is (operation result, [cb_args...])."""
    _record(self, phase="callback")


@app.task(name="backache.quarantine-consumer", bind=True)
def backache_quarantine_consumer(self, operation, uri, exc):
    """backache's quarantine consumer: the operation, the URI and the exception."""
    _record(self, phase="quarantined")
