#!/usr/bin/env python3
"""Scans the dumps of a manifest on Celery workers and merges their results.

    submit.py MANIFEST --out-dir OUT --symbols ISF [-o REPORT] [--timeout S]

One drydock.scan_dump task per dump of the manifest (paths as the workers see
them, absolute), a bounded wait for all of them, then
`drydock report merge OUT --manifest MANIFEST`, which lists every dump of the
manifest once, those without a result (a task that failed or did not finish
in time) with an error. OUT must be a directory that the workers and this
client share.

Exit status: the merge's (0; 2 with --strict when a dump has no result or
could not be scanned, or when every dump failed).
"""

import argparse
import os
import subprocess
import sys
import time

from drydock_tasks import scan_dump


def read_manifest(path):
    """The dump paths of a manifest, as drydock's --manifest reads them."""
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    entries = []
    for raw in lines:
        line = os.fsdecode(raw[:-1] if raw.endswith(b"\r") else raw)
        if line.startswith("#") or not line.strip(" \t"):
            continue
        entries.append(line)
    return entries


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("manifest", help="dump paths, one a line, absolute, as the workers see them")
    p.add_argument("--out-dir", required=True, help="results directory shared by the workers and this client")
    p.add_argument("--symbols", action="append", default=[], help="ISF file or directory, as the workers see it")
    p.add_argument("--rules", action="append", default=[], help="extra rule file or directory (repeatable)")
    p.add_argument("-d", "--define", action="append", default=[], help="rule variable NAME=VALUE (repeatable)")
    p.add_argument("--no-default-rules", action="store_true")
    p.add_argument("--force", action="store_true", help="rescan dumps that already have a current result")
    p.add_argument("-o", "--output", default="-", help="the merged report (default: standard output)")
    p.add_argument("--format", choices=["json", "jsonl"], default="json")
    p.add_argument("--strict", action="store_true", help="exit 2 if a dump has no result or could not be scanned")
    p.add_argument("--timeout", type=float, default=3600, help="seconds to wait for all tasks (default 3600)")
    p.add_argument("--drydock", default=os.environ.get("DRYDOCK", "drydock"), help="drydock binary for the merge")
    return p.parse_args(argv)


def wait_all(results, timeout):
    """Waits until every task has finished or `timeout` has passed; the ones still pending."""
    deadline = time.monotonic() + timeout
    pending = list(results)
    while pending and time.monotonic() < deadline:
        pending = [r for r in pending if not r.ready()]
        if pending:
            time.sleep(0.5)
    return pending


def main(argv):
    args = parse_args(argv)
    dumps = list(dict.fromkeys(read_manifest(args.manifest)))  # the merge lists a repeated path once
    relative = [d for d in dumps if not os.path.isabs(d)]
    if relative:
        sys.exit(f"submit.py: {args.manifest}: {relative[0]!r} is relative; write absolute paths, "
                 "the workers do not share this working directory")
    if not dumps:
        sys.exit(f"submit.py: {args.manifest}: no dump paths")
    options = {"out_dir": os.path.abspath(args.out_dir), "symbols": args.symbols, "rules": args.rules,
               "defines": args.define, "no_default_rules": args.no_default_rules, "force": args.force}
    started = time.monotonic()
    results = {scan_dump.delay(path, options): path for path in dumps}
    pending = wait_all(results, args.timeout)
    elapsed = time.monotonic() - started
    done = 0
    for r, path in results.items():
        if r in pending:
            print(f"submit.py: {path}: not finished after {args.timeout:.0f} s (task {r.id})", file=sys.stderr)
            continue
        if r.successful():
            done += 1
        else:
            print(f"submit.py: {path}: task failed: {r.result!r}", file=sys.stderr)
        r.forget()  # the result file is what counts; free the backend's copy
    print(f"submit.py: {done} of {len(dumps)} task(s) done in {elapsed:.1f} s ({done / max(elapsed, 1e-9):.2f}/s)",
          file=sys.stderr)

    merge = [args.drydock, "report", "merge", options["out_dir"], "--manifest", args.manifest,
             "--format", args.format, "-o", args.output]
    if args.strict:
        merge.append("--strict")
    return subprocess.run(merge, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
