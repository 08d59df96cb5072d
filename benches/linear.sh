#!/usr/bin/env bash
# Whole-process timings of the paths that must stay linear in what the input controls:
# repeated header names (each renamed apart), archive members, columns. Doubling the input
# should about double the time; no assertion is made here, the figures go to
# docs/BENCHMARKS.md.
# usage: benches/linear.sh [WORKDIR]   (default /tmp/pipemap-linear; needs ~60 MB of disk)
#        PIPEMAP_BIN=path/to/pipemap benches/linear.sh   (a binary already built; no build)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/pipemap-linear}
mkdir -p "$work"
if [ -n "${PIPEMAP_BIN:-}" ]; then
  bin=$PIPEMAP_BIN
else
  cargo build --release -q --bin pipemap
  bin=${CARGO_TARGET_DIR:-target}/release/pipemap
fi
python3 - "$work" <<'PY'
import sys, zipfile, os
work = sys.argv[1]
def write(name, text):
    with open(os.path.join(work, name), "w") as f:
        f.write(text)
for n in (20_000, 40_000):
    # One header name repeated n times beside Name and Email, and two rows.
    header = ["Name", "Email"] + ["Notes"] * n
    row = lambda who: [who, f"{who.lower()}@example.com"] + ["x"] * n
    write(f"repeated-{n}.csv", "\n".join(",".join(r) for r in (header, row("Ada"), row("Bob"))) + "\n")
for n in (50_000, 100_000):
    header = ["Name", "Email"] + [f"Column {i}" for i in range(n)]
    row = lambda who: [who, f"{who.lower()}@example.com"] + ["x"] * n
    write(f"columns-{n}.csv", "\n".join(",".join(r) for r in (header, row("Ada"), row("Bob"))) + "\n")
for n in (2_500, 10_000):
    with zipfile.ZipFile(os.path.join(work, f"members-{n}.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr(f"export/contacts-{i:05}.csv", f"Name,Email\nPerson {i},p{i}@example.com\n")
PY
t() { /usr/bin/time -f "   %e s wall, %U s user, %M KB peak" "$@"; }
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
for f in repeated-20000.csv repeated-40000.csv columns-50000.csv columns-100000.csv members-2500.zip members-10000.zip; do
  echo "== apply $f --entity person"
  rm -rf "$work/out"
  t "$bin" apply "$work/$f" --entity person --out "$work/out" -q 2>&1 | grep -v "^pipemap: " || true
done
