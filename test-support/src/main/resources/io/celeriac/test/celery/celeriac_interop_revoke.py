"""Revokes a task as a Python service would: ``AsyncResult(id).revoke()``.

  celeriac_interop_revoke.py TASK_ID [--terminate]

The app is celeriac_interop's (its INTEROP_* environment, INTEROP_CONTROL_EXCHANGE for the pidbox).
"""
import sys

from celeriac_interop import app


def main(argv):
    task_id = argv[1]
    terminate = "--terminate" in argv[2:]
    app.AsyncResult(task_id).revoke(terminate=terminate)
    print(task_id)


if __name__ == "__main__":
    main(sys.argv)
