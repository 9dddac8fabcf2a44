#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60), one after another, each
# corpus seeded from the repository's own fixtures. Needs the nightly toolchain
# and cargo-fuzz (see docs/security.md). A crash stops the run and leaves its
# input under fuzz/artifacts/TARGET/; keep it as a regression test.
#
#   fuzz/run.sh            # 60 s per target
#   fuzz/run.sh 600 stix   # ten minutes of one target
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
shift || true

seed() {
  local target="$1"
  shift
  mkdir -p "corpus/$target"
  for f in "$@"; do
    cp -n "$f" "corpus/$target/" 2>/dev/null || true
  done
}
fx=../harness/tests/fixtures/formats
feeds=../detections/tests/fixtures/feeds
seed jsonl_rows "$fx"/*.jsonl seeds/rows/*.jsonl
seed csv_rows "$fx"/*.csv seeds/rows/*.csv
seed evtx_records "$fx"/sysmon-chunk.evtx
seed formats_auto "$fx"/*.jsonl "$fx"/*.csv "$fx"/*.gz "$fx"/*.evtx seeds/rows/*
seed threatfox_csv "$feeds"/threatfox.csv "$feeds"/kinds-threatfox.csv
seed threatfox_json "$feeds"/threatfox.json "$feeds"/kinds-threatfox.json
seed stix "$feeds"/stix.json "$feeds"/kinds-stix.json
seed misp "$feeds"/misp.json "$feeds"/kinds-misp.json
seed ioc_list "$feeds"/list.txt "$feeds"/kinds-list.txt
seed ioc_kinds seeds/ioc_kinds/*
seed ranges seeds/ranges/* ../detections/data/ranges/cloudflare.cidr ../detections/data/ranges/google-gcp.cidr
seed scenario ../scenarios/*.toml
seed content ../detections/content/*.toml
seed kql_parse seeds/kql/*
seed kql_eval seeds/kql/*
seed has_any_diff seeds/has_any_diff/*

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
for t in "${targets[@]}"; do
  echo "== $t: ${secs}s"
  cargo +nightly fuzz run "$t" "corpus/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
