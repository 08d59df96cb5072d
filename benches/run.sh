#!/usr/bin/env bash
# Whole-process benchmarks of pipemap on generated Zendesk Sell exports: inspect on ~1 GB,
# apply on 1,000,000 contacts beside `xsv select` of the same columns, peak memory of each.
# usage: benches/run.sh [WORKDIR]   (default /tmp/pipemap-bench; needs ~3 GB of disk)
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/pipemap-bench}
mkdir -p "$work"
cargo build --release -q --bin pipemap --example gen_sample
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/pipemap
gen=$target/release/examples/gen_sample
[ -f "$work/1m/contacts.csv" ] || "$gen" --rows 1000000 --out "$work/1m"
if [ ! -f "$work/contacts-1gb.csv" ]; then
  { cat "$work/1m/contacts.csv"; for _ in 1 2 3; do tail -n +2 "$work/1m/contacts.csv"; done; } >"$work/contacts-1gb.csv"
fi
t() { echo "   (load $(cut -d' ' -f1-3 /proc/loadavg))"; /usr/bin/time -f "%e s wall, %U s user, %M KB peak" "$@"; }
echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== inspect ~1 GB ($(du -hL "$work/contacts-1gb.csv" | cut -f1)): headers, samples, statistics"
t "$bin" inspect "$work/contacts-1gb.csv" >/dev/null
echo "== wc -l on the same file (full count)"
t wc -l "$work/contacts-1gb.csv"
echo "== inspect --count on the same file (exact row count, CSV-aware)"
t "$bin" inspect --count "$work/contacts-1gb.csv" >/dev/null
echo "== apply 1,000,000 Sell contacts with the zendesk-sell preset"
rm -rf "$work/out"
t "$bin" apply "$work/1m/contacts.csv" --profile zendesk-sell --out "$work/out" -q || true
if command -v xsv >/dev/null; then
  echo "== xsv select of the same mapped columns, same file"
  t xsv select '!creator,description,custom Segment#1,custom Customer since#1' "$work/1m/contacts.csv" >"$work/xsv.csv"
  echo "== apply 1,000,000 Sell contacts again, right after xsv (the same load)"
  rm -rf "$work/out"
  t "$bin" apply "$work/1m/contacts.csv" --profile zendesk-sell --out "$work/out" -q || true
else
  echo "== xsv not installed (cargo install xsv) — no baseline"
fi
echo "== apply the whole 1M export (contacts, leads, deals, tasks, notes; ids resolved across files)"
rm -rf "$work/out-all"
t "$bin" apply "$work/1m" --profile zendesk-sell --out "$work/out-all" -q || true
echo "== the same with the combined layout (each deal row carries its first activity)"
rm -rf "$work/out-combined"
t "$bin" apply "$work/1m" --profile zendesk-sell --layout combined --out "$work/out-combined" -q || true
