#!/usr/bin/python3
"""Peers for bench/run.sh, on the inputs keyattest_verifier_bench --write-inputs saved.

  peers.py python DIR [SECONDS] [REPEATS]
      Python `cryptography` doing the same signature checks in one process:
      per token the RS256 verification (split, base64url, PKCS#1 v1.5 SHA-256
      with the JWKS key prepared once); per SNP report the ECDSA P-384
      SHA-384 signature over bytes 0x000-0x29F plus the VCEK and ASK RSA-PSS
      signatures, every key prepared once. Signatures only: no claim, time or
      extension checks.
      Prints the median rate and the spread of REPEATS runs.
  peers.py jwk DIR OUT
      Writes the JWKS with n/e taken from each entry's x5c[0], for the `jose`
      CLI (it reads RSA keys from n/e only)."""
import base64
import json
import statistics
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def uint_b64url(n):
    return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


def token_key(directory, token):
    header = json.loads(b64url(token.split(".")[0]))
    for jwk in json.load(open(f"{directory}/jwks.json"))["keys"]:
        if jwk.get("kid") == header["kid"]:
            return x509.load_der_x509_certificate(base64.b64decode(jwk["x5c"][0])).public_key()
    raise SystemExit("peers.py: no JWKS entry for the token's kid")


def measure(op, seconds, repeats):
    for _ in range(20):
        op()
    rates = []
    for _ in range(repeats):
        n, start = 0, time.perf_counter()
        while True:
            op()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        rates.append(n / elapsed)
    return statistics.median(rates), min(rates), max(rates)


def rs256_check(directory):
    token = open(f"{directory}/token.jwt").read().strip()
    key = token_key(directory, token)

    def op():
        head, payload, sig = token.split(".")
        key.verify(b64url(sig), f"{head}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return op


def snp_check(directory):
    report = open(f"{directory}/snp_report.bin", "rb").read()
    pem = open(f"{directory}/snp_certs.pem", "rb").read()
    end = b"-----END CERTIFICATE-----"
    blocks = [block + end for block in pem.split(end) if b"-----BEGIN CERTIFICATE-----" in block]
    vcek, ask, ark = (x509.load_pem_x509_certificate(block) for block in blocks[:3])
    r = int.from_bytes(report[0x2A0:0x2A0 + 72], "little")
    s = int.from_bytes(report[0x2E8:0x2E8 + 72], "little")
    signature = utils.encode_dss_signature(r, s)
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA384()), salt_length=48)
    vcek_key, ask_key, ark_key = vcek.public_key(), ask.public_key(), ark.public_key()  # prepared once

    def op():
        vcek_key.verify(signature, report[:0x2A0], ec.ECDSA(hashes.SHA384()))
        ask_key.verify(vcek.signature, vcek.tbs_certificate_bytes, pss, hashes.SHA384())
        ark_key.verify(ask.signature, ask.tbs_certificate_bytes, pss, hashes.SHA384())
    return op


def main():
    mode, directory = sys.argv[1], sys.argv[2]
    if mode == "jwk":
        jwks = json.load(open(f"{directory}/jwks.json"))
        for jwk in jwks["keys"]:
            if "x5c" in jwk and "n" not in jwk:
                numbers = x509.load_der_x509_certificate(base64.b64decode(jwk["x5c"][0])).public_key().public_numbers()
                jwk.update(kty="RSA", n=uint_b64url(numbers.n), e=uint_b64url(numbers.e))
            jwk.pop("x5c", None)
        json.dump(jwks, open(sys.argv[3], "w"))
        return
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    import cryptography
    print(f"Python {sys.version.split()[0]}, cryptography {cryptography.__version__}, one thread, "
          f"median of {repeats} runs of {seconds:.2f} s")
    for name, unit, op in (("RS256 token signature", "tokens", rs256_check(directory)),
                           ("SNP ECDSA P-384 + 2 RSA-PSS-4096", "reports", snp_check(directory))):
        median, low, high = measure(op, seconds, repeats)
        print(f"  {name:<34} {median:9.0f} {unit}/s  (spread {low:.0f}-{high:.0f})")


if __name__ == "__main__":
    main()
