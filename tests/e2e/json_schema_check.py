#!/usr/bin/python3
"""Validates `validate_attestation --output json` against schema/report.schema.json
for verified, failed, unreadable and multi-file runs (run by ctest)."""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

binary, schema_path, testdata = sys.argv[1:4]
schema = json.load(open(schema_path))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)

with tempfile.TemporaryDirectory() as tmp:
    bad = os.path.join(tmp, "bad.json")
    open(bad, "w").write("{not json")
    azure = os.path.join(testdata, "azure")
    cases = [
        ([os.path.join(azure, "azure-sdk-js-rsa2048/attestation.json")], 0, ["verified"]),
        ([os.path.join(azure, "azure-cli-rsa2048/attestation.json")], 1, ["failed"]),
        ([bad], 3, ["unreadable"]),
        ([os.path.join(azure, "azure-sdk-net-oct-aes256/attestation.json"), bad,
          os.path.join(azure, "azure-sdk-net-ec-p256/attestation.json")], 3, ["verified", "unreadable", "verified"]),
    ]
    failures = 0
    for files, want_exit, want_verdicts in cases:
        args = [binary, "--output", "json", "--require", "generated,EXTRACTABLE=0"]
        for f in files:
            args += ["-af", f]
        run = subprocess.run(args, capture_output=True, text=True)
        doc = json.loads(run.stdout)
        errors = sorted(validator.iter_errors(doc), key=lambda e: e.path)
        verdicts = [f["verdict"] for f in doc["files"]]
        ok = not errors and run.returncode == want_exit and verdicts == want_verdicts \
            and doc["summary"]["exit_code"] == want_exit
        print(("ok  " if ok else "FAIL"), [os.path.basename(os.path.dirname(f)) or f for f in files],
              "exit", run.returncode, verdicts)
        for e in errors[:5]:
            print("   schema:", list(e.path), e.message)
        failures += not ok
    print(f"{len(cases) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)
