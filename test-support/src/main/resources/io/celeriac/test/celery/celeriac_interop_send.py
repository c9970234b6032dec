"""Sends one task with Celery's send_task on the celeriac_interop topology and prints its id.

  python3 celeriac_interop_send.py TASK_NAME [ARGS_JSON [KWARGS_JSON]] [--wait SECONDS]

ARGS_JSON is a JSON array (default []), KWARGS_JSON a JSON object (default {}). The topology comes
from the same environment variables as celeriac_interop.py. Prints the task id on the first line;
with --wait (needs INTEROP_RESULT_BACKEND) it then waits for the result and prints it as JSON.
"""
import json
import sys

from celeriac_interop import app, declare_topology


def main(argv):
    wait = None
    if "--wait" in argv:
        index = argv.index("--wait")
        wait = float(argv[index + 1])
        argv = argv[:index] + argv[index + 2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    name = argv[0]
    args = json.loads(argv[1]) if len(argv) > 1 else []
    kwargs = json.loads(argv[2]) if len(argv) > 2 else {}
    with app.producer_or_acquire() as producer:
        # the bindings on the publishing connection: what kombu's SQS transport routes with
        declare_topology(producer.channel)
        result = app.send_task(name, args=args, kwargs=kwargs, producer=producer)
    print(result.id, flush=True)
    if wait is not None:
        print(json.dumps(result.get(timeout=wait)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
