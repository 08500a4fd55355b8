"""run_scan, the body of drydock.scan_dump, without a broker: which drydock
runs give a result, which are retried (ScanFailed) and which are final
(BadRequest). Run by celery_test.sh:

    DRYDOCK_BINARY=build/drydock python3 -m unittest tests/deploy/drydock_tasks_test.py
"""

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "deploy", "celery"))

from drydock_tasks import BadRequest, ScanFailed, result_file, run_scan, scan_command  # noqa: E402

DRYDOCK = os.environ.get("DRYDOCK_BINARY", "drydock")
SAMPLE = os.path.join(ROOT, "tests", "data", "sample")
ISF = os.path.join(SAMPLE, "docker-basic-sample.json.xz")


class RunScanTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="drydock-tasks-test.")
        self.addCleanup(shutil.rmtree, self.dir)
        os.environ["XDG_CACHE_HOME"] = os.path.join(self.dir, "cache")
        self.dump = os.path.join(self.dir, "host.lime.zst")
        shutil.copy(os.path.join(SAMPLE, "docker-basic-sample.lime.zst"), self.dump)
        self.out = os.path.join(self.dir, "out")
        self.options = {"out_dir": self.out, "symbols": ISF}

    def fake_drydock(self, body):
        path = os.path.join(self.dir, "fake-drydock")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
        return path

    def test_options_become_flags_and_the_path_follows_a_double_dash(self):
        command = scan_command("-odd.lime", {"out_dir": "/r", "symbols": ["/a", "/b"], "tags": "escape",
                                             "jobs": 2, "force": True, "no_default_rules": False}, "dd")
        self.assertEqual(command, ["dd", "scan", "--out-dir", "/r", "-q", "-o", os.devnull, "--symbols", "/a",
                                   "--symbols", "/b", "--tag", "escape", "--jobs", "2", "--force", "--", "-odd.lime"])

    def test_unknown_options_and_a_missing_out_dir_are_final(self):
        with self.assertRaisesRegex(BadRequest, "unknown option.*symbol"):
            run_scan(self.dump, {"out_dir": self.out, "symbol": ISF}, DRYDOCK)
        with self.assertRaisesRegex(BadRequest, "out_dir"):
            run_scan(self.dump, {"symbols": ISF}, DRYDOCK)

    def test_a_scan_returns_its_result_file_and_a_rerun_the_same(self):
        path = run_scan(self.dump, self.options, DRYDOCK)
        self.assertEqual(path, os.path.join(self.out, hashlib.sha256(self.dump.encode()).hexdigest() + ".json"))
        with open(path) as f:
            result = json.load(f)
        self.assertEqual(result["result"]["path"], self.dump)
        self.assertIn("tasks", result["dumps"][0])
        mtime = os.stat(path).st_mtime_ns
        self.assertEqual(run_scan(self.dump, self.options, DRYDOCK), path)
        self.assertEqual(os.stat(path).st_mtime_ns, mtime)  # current: not scanned again

    def test_a_dump_drydock_cannot_scan_has_a_result_recording_why(self):
        path = run_scan(self.dump, {"out_dir": self.out, "symbols": os.path.join(self.dir, "none.json")}, DRYDOCK)
        with open(path) as f:
            dump = json.load(f)["dumps"][0]
        self.assertNotIn("engine", dump)  # no model
        self.assertIn("no symbol table matches", dump["errors"][0])

    def test_no_new_result_is_retried_even_when_an_old_one_exists(self):
        run_scan(self.dump, self.options, DRYDOCK)
        for body in ("echo 'drydock: cannot write the result' >&2; exit 2", "kill -9 $$", "exit 3"):
            with self.subTest(body=body), self.assertRaises(ScanFailed):
                run_scan(self.dump, self.options, self.fake_drydock(body))

    def test_a_scan_past_its_timeout_and_a_missing_binary_are_retried(self):
        with self.assertRaisesRegex(ScanFailed, "did not finish"):
            run_scan(self.dump, dict(self.options, timeout=0.5), self.fake_drydock("sleep 5"))
        with self.assertRaisesRegex(ScanFailed, "cannot run"):
            run_scan(self.dump, self.options, os.path.join(self.dir, "no-such-drydock"))

    def test_a_directory_is_not_one_dump(self):
        with self.assertRaisesRegex(BadRequest, "one task per dump file"):
            run_scan(self.dir, self.options, DRYDOCK)
        self.assertFalse(os.path.exists(result_file(self.out, self.dir)))


if __name__ == "__main__":
    unittest.main()
