#!/usr/bin/python3
"""Runs the reference Python tool (Azure/azure-managed-hsm-key-attestation,
src/validate_attestation.py) with Debian's older python3-pem, whose parse()
takes bytes. Usage: reference_shim.py PATH/TO/src/validate_attestation.py ARGS..."""
import os
import runpy
import sys

import pem

_parse = pem.parse
pem.parse = lambda data: _parse(data.encode() if isinstance(data, str) else data)
script = os.path.abspath(sys.argv[1])
sys.path.insert(0, os.path.dirname(script))
sys.argv = [script] + sys.argv[2:]
runpy.run_path(script, run_name="__main__")
