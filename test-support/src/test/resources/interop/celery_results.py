"""Reads and writes task results with Python Celery's own result backends.

python3 celery_results.py read BACKEND_URL TASK_ID...   -> JSON {id: {state, value | error_type, error, traceback}}
python3 celery_results.py write BACKEND_URL OK_ID FAILED_ID  (stores a success and a ValueError failure)
"""
import json
import sys
import traceback

from celery import Celery


def main():
    mode, backend = sys.argv[1], sys.argv[2]
    app = Celery("interop", backend=backend)
    app.conf.result_extended = True
    app.conf.result_serializer = "json"
    app.conf.accept_content = ["json"]
    if mode == "read":
        out = {}
        for task_id in sys.argv[3:]:
            result = app.AsyncResult(task_id)
            try:
                value = result.get(timeout=10)
                out[task_id] = {"state": result.state, "value": value}
            except Exception as exc:  # the task's exception, rebuilt by Celery
                out[task_id] = {"state": result.state, "error_type": type(exc).__name__, "error": str(exc),
                                "traceback": result.traceback}
        print(json.dumps(out))
    elif mode == "write":
        ok_id, failed_id = sys.argv[3], sys.argv[4]
        app.backend.mark_as_done(ok_id, {"answer": 42, "items": [1, "two", 3.5, None, True]})
        try:
            raise ValueError("python says no")
        except ValueError as exc:
            app.backend.mark_as_failure(failed_id, exc, traceback=traceback.format_exc())
        print(json.dumps({"written": [ok_id, failed_id]}))
    else:
        raise SystemExit("unknown mode " + mode)


if __name__ == "__main__":
    main()
