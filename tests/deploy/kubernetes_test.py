#!/usr/bin/env python3
"""deploy/kubernetes checked without a cluster: the Indexed Job manifest against
the fields the batch/v1 Job API requires, the JOB_COMPLETION_INDEX contract
(--shard auto with --shard-count equal to spec.completions, run for real with
the build's drydock: every index's pod together scan each dump once), and the
Dockerfile installing drydock's Debian package.

    tests/deploy/kubernetes_test.py DRYDOCK_BINARY

Needs python3-yaml (scripts/setup.sh). This is no substitute for a cluster:
deploy/kubernetes/README.md says the manifest is untested on one."""

import os
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
K8S = os.path.join(ROOT, "deploy", "kubernetes")
SAMPLE = os.path.join(ROOT, "tests", "data", "sample")
problems = []


def check(what, ok):
    print(("ok: " if ok else "FAILED: ") + what)
    if not ok:
        problems.append(what)
    return ok


def option(command, name):
    """The value after `name` in a command list, or None."""
    return command[command.index(name) + 1] if name in command and command.index(name) + 1 < len(command) else None


def mounted_volume(container, path, volumes):
    """The volume whose mount holds `path` in this container, or None."""
    best = None
    for m in container.get("volumeMounts", []):
        mount = m["mountPath"].rstrip("/")
        if path == mount or path.startswith(mount + "/"):
            if best is None or len(mount) > len(best[0]):
                best = (mount, volumes.get(m["name"]))
    return best[1] if best else None


def check_job(job):
    check("apiVersion is batch/v1", job.get("apiVersion") == "batch/v1")
    check("kind is Job", job.get("kind") == "Job")
    check("metadata.name is set", bool(job.get("metadata", {}).get("name")))
    spec = job.get("spec", {})
    check("spec.completionMode is Indexed", spec.get("completionMode") == "Indexed")
    completions, parallelism = spec.get("completions"), spec.get("parallelism")
    check("spec.completions is a positive integer (an Indexed Job requires it)",
          isinstance(completions, int) and completions > 0)
    check("spec.parallelism is a positive integer, at most completions",
          isinstance(parallelism, int) and 0 < parallelism <= (completions or 0))
    if "backoffLimitPerIndex" in spec:
        check("backoffLimitPerIndex is a non-negative integer",
              isinstance(spec["backoffLimitPerIndex"], int) and spec["backoffLimitPerIndex"] >= 0)
    pod = spec.get("template", {}).get("spec", {})
    check("template.spec.restartPolicy is Never or OnFailure (a Job allows no other)",
          pod.get("restartPolicy") in ("Never", "OnFailure"))
    volumes = {v.get("name"): v for v in pod.get("volumes", [])}
    check("every volume has a name and one source",
          all(name and len([k for k in v if k != "name"]) == 1 for name, v in volumes.items()))
    containers = pod.get("containers", [])
    check("template.spec.containers is not empty", bool(containers))
    for c in containers + pod.get("initContainers", []):
        name = c.get("name", "?")
        check(f"container {name}: name, image and command (a list of strings)",
              bool(c.get("name")) and bool(c.get("image")) and isinstance(c.get("command"), list)
              and all(isinstance(a, str) for a in c["command"]))
        for m in c.get("volumeMounts", []):
            check(f"container {name}: mount {m.get('name')} names a volume of the pod", m.get("name") in volumes)
            check(f"container {name}: mount {m.get('name')} has an absolute mountPath",
                  str(m.get("mountPath", "")).startswith("/"))
    scanners = [c for c in containers if c.get("command", [])[:2] == ["drydock", "scan"]]
    if not check("one container runs drydock scan", len(scanners) == 1):
        return None
    command = scanners[0]["command"]
    check("drydock scan --shard auto (the index from JOB_COMPLETION_INDEX)", option(command, "--shard") == "auto")
    check("--shard-count equals spec.completions", option(command, "--shard-count") == str(completions))
    for flag, kind in (("--manifest", "persistentVolumeClaim"), ("--out-dir", "persistentVolumeClaim"),
                       ("--symbols", "persistentVolumeClaim"), ("--cache-dir", "hostPath")):
        path = option(command, flag)
        volume = mounted_volume(scanners[0], path or "", volumes) if path else None
        check(f"{flag} {path} lies on a mounted {kind} volume", volume is not None and kind in volume)
    claim = next((v["persistentVolumeClaim"] for v in volumes.values() if "persistentVolumeClaim" in v), {})
    check("the shared volume's claim is named", bool(claim.get("claimName")))
    return command, completions


def check_contract(drydock, command, completions):
    """Every index's pod, run here with JOB_COMPLETION_INDEX and the Job's own
    options (paths moved to a temporary directory): each dump scanned once."""
    with tempfile.TemporaryDirectory() as tmp:
        manifest = os.path.join(tmp, "manifest.txt")
        with open(manifest, "w") as out:
            for i in range(6):
                copy = os.path.join(tmp, f"node-{i}.lime.zst")
                shutil.copyfile(os.path.join(SAMPLE, "docker-basic-sample.lime.zst"), copy)
                out.write(copy + "\n")
        moved = {"--manifest": manifest, "--out-dir": os.path.join(tmp, "results"),
                 "--symbols": os.path.join(SAMPLE, "docker-basic-sample.json.xz"),
                 "--cache-dir": os.path.join(tmp, "cache")}
        args = list(command[1:])
        for flag, value in moved.items():
            args[args.index(flag) + 1] = value
        scanned = 0
        for index in range(completions):
            env = dict(os.environ, JOB_COMPLETION_INDEX=str(index))
            r = subprocess.run([drydock] + args, env=env, capture_output=True, text=True)
            check(f"pod {index} exits 0", r.returncode == 0) or print(r.stderr)
            scanned = len([f for f in os.listdir(moved["--out-dir"]) if f.endswith(".json")]) \
                if os.path.isdir(moved["--out-dir"]) else 0
        check("the pods together wrote one result per dump", scanned == 6)
        r = subprocess.run([drydock, "report", "merge", moved["--out-dir"], "--manifest", manifest, "--strict",
                            "--format", "jsonl"], capture_output=True, text=True)
        check("report merge --strict of the pods' results exits 0", r.returncode == 0) or print(r.stderr)
        check("the merge lists each dump once", len(r.stdout.splitlines()) == 6)


def check_dockerfile():
    with open(os.path.join(K8S, "Dockerfile")) as f:
        lines = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
    text = "\n".join(lines)
    check("the Dockerfile starts FROM a Debian image", lines[0].startswith("FROM debian:"))
    check("the Dockerfile installs drydock's Debian package with apt-get",
          "apt-get install" in text and "drydock_*_amd64.deb" in text)
    check("the Dockerfile runs as a non-root user", any(line.startswith("USER ") and line != "USER root"
                                                         for line in lines))


def main():
    drydock = os.path.realpath(sys.argv[1]) if len(sys.argv) > 1 else None
    with open(os.path.join(K8S, "drydock-indexed-job.yaml")) as f:
        documents = [d for d in yaml.safe_load_all(f) if d]
    check("the manifest holds one document", len(documents) == 1)
    found = check_job(documents[0])
    check_dockerfile()
    with open(os.path.join(K8S, "README.md")) as f:
        check("the README says the manifest is untested on a cluster", "untested on a cluster" in f.read().lower())
    if found and drydock:
        check_contract(drydock, *found)
    if problems:
        print(f"{len(problems)} check(s) failed")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
