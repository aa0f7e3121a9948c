#!/usr/bin/env bash
# Benchmarks validate_attestation on this machine, in one run:
#  (a) one file, whole process, median of several runs, against the reference
#      Python tool when REFERENCE_TOOL points at its src/validate_attestation.py,
#      and the bound of that ratio here: a process that only starts libcrypto
#      (bench/libcrypto_start.cc), timed the same way;
#  (b) a batch of N files (copies of the real samples under distinct names) in
#      one invocation, files/s with one job and all jobs, chain cache off and on,
#      and peak memory at N and N/10 files;
#  (c) the crypto floor: only the RSA verifications the batch needs, timed
#      alone with prepared keys (bench/crypto_floor.cc), in threads and in processes,
#      then side by side with the batch (pairs run back to back, so that the
#      machine's drift does not enter the ratio);
#  (d) the other verifiers (MAA tokens, release policies, SNP reports) in one
#      thread against their floors (bench/verifier_bench.cc), Python
#      `cryptography` doing the same signature checks, and whole processes
#      for one token against the `jose` CLI (when installed) and one report.
# Usage: bench/run.sh [N=10000]   (REFERENCE_TOOL=path/to/src/validate_attestation.py for (a))
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
PY=/usr/bin/python3
JOBS=$(nproc)
cmake -S . -B build-bench -DKEYATTEST_BENCH=ON -DKEYATTEST_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"$JOBS" >/dev/null
BIN=build-bench/validate_attestation
FLOOR=build-bench/bench/keyattest_crypto_floor
START=build-bench/bench/keyattest_libcrypto_start
SAMPLE=testdata/azure/azure-sdk-js-rsa2048/attestation.json

# Memory-backed when possible: this machine kind may drop the page cache
# mid-run, which would turn a verifier benchmark into a disk benchmark.
work=$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)
trap 'rm -rf "$work"' EXIT
$PY - "$work" "$N" <<'PYEOF'
import os, shutil, sys
work, n = sys.argv[1], int(sys.argv[2])
samples = ["testdata/azure/azure-sdk-js-rsa2048/attestation.json",
           "testdata/azure/azure-sdk-net-ec-p256/attestation.json",
           "testdata/azure/azure-sdk-net-oct-aes256/attestation.json"]
for size, name in ((n, "batch"), (max(n // 10, 1), "small")):
    os.makedirs(f"{work}/{name}")
    with open(f"{work}/{name}.list", "w") as lst:
        for i in range(size):
            path = f"{work}/{name}/key-{i:05d}.json"
            shutil.copyfile(samples[i % 3], path)
            lst.write(path + "\n")
PYEOF

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(openssl version 2>/dev/null)"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "(a) single file ($SAMPLE), whole process, median of 41 runs after 3 warm-up runs"
# As hyperfine measures: each command's runs back to back.
$PY bench/timeit.py 3 -- "$BIN" -af "$SAMPLE" >/dev/null
read -r ours _ ours_code < <($PY bench/timeit.py 41 -- "$BIN" -af "$SAMPLE")
printf '  validate_attestation   %8.1f ms  (exit %s)\n' "$(echo "$ours*1000" | bc -l)" "$ours_code"
if [[ -n "${REFERENCE_TOOL:-}" && -f "${REFERENCE_TOOL}" ]]; then
  REF=($PY bench/reference_shim.py "$REFERENCE_TOOL" -af "$SAMPLE")
  $PY bench/timeit.py 3 -- "${REF[@]}" >/dev/null
  read -r ref _ ref_code < <($PY bench/timeit.py 41 -- "${REF[@]}")
  printf '  reference Python tool  %8.1f ms  (exit %s)\n' "$(echo "$ref*1000" | bc -l)" "$ref_code"
  printf '  speed-up               %8.1fx\n' "$(echo "$ref/$ours" | bc -l)"
  # Alternating runs: each of our runs follows a reference run, which leaves
  # the CPU caches cold; this costs a short process proportionally more.
  { read -r ours_alt _ _; read -r ref_alt _ _; } < <($PY bench/timeit.py 41 -- "$BIN" -af "$SAMPLE" --versus "${REF[@]}")
  printf '  alternating runs       %8.1f ms vs %.1f ms: %.1fx (cold caches)\n' "$(echo "$ours_alt*1000" | bc -l)" \
    "$(echo "$ref_alt*1000" | bc -l)" "$(echo "$ref_alt/$ours_alt" | bc -l)"
  # The bound of this measure on this machine: a process that only loads
  # libcrypto (shared, as ours) and fetches one digest, timed the same way.
  { read -r start_alt _ _; read -r ref_alt2 _ _; } < <($PY bench/timeit.py 41 -- "$START" --versus "${REF[@]}")
  printf '  start-up bound         %8.1f ms vs %.1f ms: %.1fx (a process that only loads libcrypto and fetches\n' \
    "$(echo "$start_alt*1000" | bc -l)" "$(echo "$ref_alt2*1000" | bc -l)" "$(echo "$ref_alt2/$start_alt" | bc -l)"
  echo "                         SHA-256, alternating: no tool linking libcrypto shared starts faster here)"
else
  echo "  reference Python tool: skipped (set REFERENCE_TOOL=/path/to/azure-managed-hsm-key-attestation/src/validate_attestation.py)"
fi
echo
echo "(b) batch of $N files in one invocation (median of 3 runs)"
batch() {  # label, args...
  local label=$1; shift
  read -r t rss code < <($PY bench/timeit.py 3 -- "$BIN" --files-from "$work/batch.list" "$@")
  printf '  %-34s %8.0f files/s  %7.2f s  peak %6.1f MiB  (exit %s)\n' "$label" "$(echo "$N/$t" | bc -l)" "$t" \
    "$(echo "$rss/1024" | bc -l)" "$code"
  eval "rate_${label//[^a-z0-9]/_}=$(echo "$N/$t" | bc -l)"
}
batch "1 job, chain cache off" -j1 --no-chain-cache
batch "1 job, chain cache on" -j1
batch "$JOBS jobs, chain cache off" -j"$JOBS" --no-chain-cache
batch "$JOBS jobs, chain cache on" -j"$JOBS"
read -r t_small rss_small _ < <($PY bench/timeit.py 1 -- "$BIN" --files-from "$work/small.list" -j"$JOBS" --no-chain-cache)
read -r t_json rss_json _ < <($PY bench/timeit.py 1 -- "$BIN" --files-from "$work/batch.list" -j"$JOBS" --output json)
printf '  peak memory, %d files (cache off): %.1f MiB; %d files, --output json: %.1f MiB\n' "$((N / 10))" \
  "$(echo "$rss_small/1024" | bc -l)" "$N" "$(echo "$rss_json/1024" | bc -l)"
echo
echo "(c) crypto floor: the RSA verifications the batch needs, alone (4 certificate signatures + 1 per blob, per file;"
echo "    median of 3 runs)"
floor_median() {  # --threads|--processes N [--x509-verify] -> the median run's line
  for _ in 1 2 3; do $FLOOR "$@" --files-from "$work/batch.list"; done |
    awk '{ for (i = 1; i < NF; ++i) if ($i == "files_per_second") print $(i + 1), $0 }' |
    sort -n | sed -n 2p | cut -d' ' -f2-
}
line1=$(floor_median --threads 1)
lineN=$(floor_median --threads "$JOBS")
lineP=$(floor_median --processes "$JOBS")
echo "  1 thread:     $line1"
echo "  $JOBS threads:    $lineN"
echo "  $JOBS processes:  $lineP"
# The floor until 2026-11-30 checked certificate signatures with X509_verify,
# which the verifier no longer calls for them: shown for comparison.
echo "  1 thread, certificate signatures by X509_verify: $(floor_median --threads 1 --x509-verify)"
floor1=$(echo "$line1" | sed -E 's/.*files_per_second ([0-9]+).*/\1/')
floorT=$(echo "$lineN" | sed -E 's/.*files_per_second ([0-9]+).*/\1/')
floorN=$(echo "$lineP" | sed -E 's/.*files_per_second ([0-9]+).*/\1/')
if command -v openssl >/dev/null; then
  # The hardware's own measure: RSA-2048 verifications/s on every core.
  speed=$(openssl speed -multi "$JOBS" -seconds 3 rsa2048 2>/dev/null | awk '/^rsa 2048/ {print $NF}' | tail -n 1)
  [[ -n $speed ]] && echo "  openssl speed -multi $JOBS rsa2048: $speed verifications/s (the files' keys mix 2048 and 4096 bits)"
fi
printf '  threads reach %.0f%% of processes\n' "$(echo "100*$floorT/$floorN" | bc -l)"
echo
echo "ratios to the crypto floor (files/s over floor files/s):"
printf '  1 job:  cache off %.0f%%, cache on %.0f%% of the 1-thread floor\n' \
  "$(echo "100*$rate_1_job__chain_cache_off/$floor1" | bc -l)" "$(echo "100*$rate_1_job__chain_cache_on/$floor1" | bc -l)"
jl=${JOBS}_jobs
off_var="rate_${jl}__chain_cache_off"
on_var="rate_${jl}__chain_cache_on"
printf '  %s jobs: cache off %.0f%%, cache on %.0f%% of the %s-processes floor\n' "$JOBS" \
  "$(echo "100*${!off_var}/$floorN" | bc -l)" "$(echo "100*${!on_var}/$floorN" | bc -l)" "$JOBS"
printf '  %s jobs: cache off %.0f%%, cache on %.0f%% of the %s-threads floor\n' "$JOBS" \
  "$(echo "100*${!off_var}/$floorT" | bc -l)" "$(echo "100*${!on_var}/$floorT" | bc -l)" "$JOBS"
echo
echo "side by side (the machine's speed drifts between the runs above): 5 pairs, each our batch (cache off)"
echo "then its floor at once; the median pair's ratio"
side_by_side() {  # label, jobs, floor flag
  local ratios=()
  for _ in 1 2 3 4 5; do
    read -r t _ _ < <($PY bench/timeit.py 1 -- "$BIN" --files-from "$work/batch.list" -j"$2" --no-chain-cache)
    f=$($FLOOR "$3" "$2" --files-from "$work/batch.list" | sed -E 's/.*files_per_second ([0-9]+).*/\1/')
    ratios+=("$(echo "100*$N/$t/$f" | bc -l)")
  done
  printf '  %s: %s%%, median %.0f%%\n' "$1" "$(printf '%.0f ' "${ratios[@]}" | sed 's/ $//')" \
    "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 3p)"
}
side_by_side "1 job against the 1-thread floor" 1 --threads
side_by_side "$JOBS jobs against the $JOBS-processes floor" "$JOBS" --processes
if command -v taskset >/dev/null; then
  # The cores of a virtual machine need not be equal (a host sibling may be
  # busy), and a slow core can slow the verifier's memory-bound work more
  # than the floor's arithmetic: each core on its own, both tools pinned.
  echo "  each core alone (both tools pinned to it; 3 pairs, the median pair):"
  for ((core = 0; core < JOBS; ++core)); do
    ratios=()
    rates=()
    for _ in 1 2 3; do
      read -r t _ _ < <($PY bench/timeit.py 1 -- taskset -c "$core" "$BIN" --files-from "$work/batch.list" -j1 --no-chain-cache)
      f=$(taskset -c "$core" $FLOOR --threads 1 --files-from "$work/batch.list" | sed -E 's/.*files_per_second ([0-9]+).*/\1/')
      ratios+=("$(echo "100*$N/$t/$f" | bc -l)")
      rates+=("$(echo "$N/$t" | bc -l) $f")
    done
    printf '    core %d: %s%% (ours %.0f files/s, floor %.0f files/s in the last pair)\n' "$core" \
      "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p | xargs printf '%.0f')" ${rates[-1]}
  done
fi
echo
echo "(d) the other verifiers, in process (build-bench/bench/keyattest_verifier_bench)"
inputs="$work/verifier-inputs"
# One core for the verifier and its floor alike: the two cores of this
# machine kind differ, and a bench that migrates between them compares the
# verifier on one core with its floor on the other.
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0) && echo "  (pinned to core 0)"
"${pin[@]}" build-bench/bench/keyattest_verifier_bench --write-inputs "$inputs"
echo "  peer, the same signature checks only:"
"${pin[@]}" $PY bench/peers.py python "$inputs" | sed 's/^/  /'
echo
echo "(e) the other verifiers, whole process, one input, median of 41 runs after 3 warm-up runs (maa alternating with jose)"
issuer=$(cat "$inputs/issuer.txt")
token_at=$(cat "$inputs/token_at.txt")
tr -d '\r\n' <"$inputs/token.jwt" >"$inputs/token-line.jwt"  # jose refuses a final line ending
MAA=("$BIN" maa --token "$inputs/token-line.jwt" --jwks "$inputs/jwks.json" --issuer "$issuer" --at "$token_at")
SNP=("$BIN" snp --report "$inputs/snp_report.bin" --certs "$inputs/snp_certs.pem" --at "$(cat "$inputs/snp_at.txt")")
[[ -s $inputs/ark.pem ]] && SNP+=(--amd-root "$inputs/ark.pem")
$PY bench/timeit.py 3 -- "${SNP[@]}" >/dev/null
read -r snp_t _ snp_code < <($PY bench/timeit.py 41 -- "${SNP[@]}")
printf '  validate_attestation snp   %6.1f ms  (exit %s)\n' "$(echo "$snp_t*1000" | bc -l)" "$snp_code"
if command -v jose >/dev/null; then
  $PY bench/peers.py jwk "$inputs" "$inputs/jwks-ne.json"
  JOSE=(jose jws ver -i "$inputs/token-line.jwt" -k "$inputs/jwks-ne.json" -O /dev/null)
  $PY bench/timeit.py 3 -- "${MAA[@]}" --versus "${JOSE[@]}" >/dev/null
  { read -r maa_t _ maa_code; read -r jose_t _ jose_code; } < <($PY bench/timeit.py 41 -- "${MAA[@]}" --versus "${JOSE[@]}")
  printf '  validate_attestation maa   %6.1f ms  (exit %s)\n' "$(echo "$maa_t*1000" | bc -l)" "$maa_code"
  printf '  jose jws ver (signature)   %6.1f ms  (exit %s): ours takes %.2fx its time\n' \
    "$(echo "$jose_t*1000" | bc -l)" "$jose_code" "$(echo "$maa_t/$jose_t" | bc -l)"
else
  read -r maa_t _ maa_code < <($PY bench/timeit.py 41 -- "${MAA[@]}")
  printf '  validate_attestation maa   %6.1f ms  (exit %s)\n' "$(echo "$maa_t*1000" | bc -l)" "$maa_code"
  echo "  jose jws ver: skipped (apt-get install jose)"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
