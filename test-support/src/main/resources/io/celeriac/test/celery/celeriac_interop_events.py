"""Celery's own event receiver and State on the interop app's broker, for interoperability tests.

Runs app.events.Receiver bound with '#' on the event exchange INTEROP_EVENT_EXCHANGE (default
celeryev), feeds every event to app.events.State(), and prints, flushed, one line per event:

  EVENT {the event as the receiver got it}
  STATE {"event_count": n, "task_count": n, "tasks": {uuid: {...}}, "workers": {hostname: {...}}}

after printing READY once its queue is consuming. It runs until it is killed.
"""
import json
import os
import sys

from celeriac_interop import app

app.conf.event_exchange = os.environ.get("INTEROP_EVENT_EXCHANGE", "celeryev")

state = app.events.State()


def _task(task):
    return {
        "state": task.state,
        "name": task.name,
        "args": task.args,
        "kwargs": task.kwargs,
        "worker": task.worker.hostname if task.worker is not None else None,
        "client": task.client,
        "result": task.result,
        "runtime": task.runtime,
        "exception": task.exception,
        "traceback": task.traceback,
        "retries": task.retries,
        "routing_key": task.routing_key,
        "exchange": task.exchange,
        "root_id": task.root_id,
        "parent_id": task.parent_id,
    }


def _worker(worker):
    return {
        "alive": worker.alive,
        "heartbeats": len(worker.heartbeats),
        "freq": worker.freq,
        "active": worker.active,
        "processed": worker.processed,
        "loadavg": worker.loadavg,
        "sw_ident": worker.sw_ident,
        "sw_ver": worker.sw_ver,
        "sw_sys": worker.sw_sys,
        "pid": worker.pid,
    }


def on_event(event):
    state.event(event)
    print("EVENT " + json.dumps(event, default=repr), flush=True)
    print("STATE " + json.dumps({
        "event_count": state.event_count,
        "task_count": state.task_count,
        "tasks": {uuid: _task(task) for uuid, task in state.tasks.items()},
        "workers": {hostname: _worker(worker) for hostname, worker in state.workers.items()},
    }, default=repr), flush=True)


def on_ready(*args, **kwargs):
    print("READY", flush=True)


with app.connection() as connection:
    receiver = app.events.Receiver(connection, handlers={"*": on_event})
    receiver.on_consume_ready = on_ready
    try:
        receiver.capture(limit=None, timeout=None, wakeup=False)
    except KeyboardInterrupt:
        sys.exit(0)
