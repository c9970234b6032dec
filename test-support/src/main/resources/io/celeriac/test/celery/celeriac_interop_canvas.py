"""Starts a Celery workflow on the celeriac_interop topology and prints its task ids as JSON.

  python3 celeriac_interop_canvas.py SPEC_JSON

SPEC_JSON is one of
  {"chain": [SIG, ...]}               chain(...).apply_async()
  {"chord": [SIG, ...], "body": SIG}  chord(header, body).apply_async()
  {"task": SIG, "link": SIG, "link_error": SIG}   sig.apply_async(link=..., link_error=...)
with SIG = {"task": name, "args": [...], "kwargs": {...}, "options": {...}, "immutable": bool}.
Prints {"id": the workflow's result id, "ids": [every task id of a chain, first first],
"group": the chord's group id, "header": [the chord header's ids]}.
"""
import json
import sys

from celery import chain, chord

from celeriac_interop import app, declare_topology


def _signature(spec):
    return app.signature(spec["task"], args=spec.get("args", []), kwargs=spec.get("kwargs", {}),
                         options=spec.get("options", {}), immutable=spec.get("immutable", False))


def main(argv):
    spec = json.loads(argv[0])
    declare_topology()
    out = {}
    if "chain" in spec:
        result = chain(*[_signature(step) for step in spec["chain"]]).apply_async()
        ids = []
        node = result
        while node is not None:
            ids.insert(0, node.id)
            node = node.parent
        out = {"id": result.id, "ids": ids}
    elif "chord" in spec:
        header = [_signature(member) for member in spec["chord"]]
        result = chord(header, _signature(spec["body"])).apply_async()
        parent = result.parent
        out = {"id": result.id, "group": parent.id if parent is not None else None,
               "header": [child.id for child in parent.results] if parent is not None else []}
    else:
        options = {}
        if "link" in spec:
            options["link"] = _signature(spec["link"])
        if "link_error" in spec:
            options["link_error"] = _signature(spec["link_error"])
        result = _signature(spec["task"]).apply_async(**options)
        out = {"id": result.id}
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
