#!/usr/bin/env bash
# Instructions per row of `huntlab scan`, counted by valgrind's callgrind (an
# instruction count does not depend on the machine's load, so it can be
# compared across runs on a busy machine).
#
# For each table (DnsEvents, SysmonEvents, and Sysmon22: the Sysmon event 22
# lines alone, a DNS-only export whose fired rows wait for a process creation
# that never comes) of the simulator's rows, the same
# binary scans the first N rows and the first 2N rows; the difference of the
# two whole-process counts, over N, is the cost of one row: content loading,
# start-up and exit cancel out.
#
# Usage: benches/callgrind-scan.sh [HUNTLAB] [WORKDIR] [N]
#   HUNTLAB  the binary to measure (default: huntlab in $CARGO_TARGET_DIR or target, built)
#   WORKDIR  where the rows and profiles go (default: a temporary folder)
#   N        rows per step (default: 50000)
# Prints one line per table: rows, instructions per row.
set -euo pipefail

cd "$(dirname "$0")/.."
huntlab="${1:-}"
work="${2:-$(mktemp -d)}"
n="${3:-50000}"
if [ -z "$huntlab" ]; then
    cargo build --release --quiet -p harness --bin huntlab
    huntlab="${CARGO_TARGET_DIR:-target}/release/huntlab"
fi
command -v valgrind >/dev/null || {
    echo "valgrind is needed: apt-get install valgrind" >&2
    exit 2
}
mkdir -p "$work"

# The rows: the built-in library at scale 10 (seed 0), written by the binary
# measured, so both sides of a comparison read the same bytes when the
# simulator's output is unchanged.
if [ ! -s "$work/sim/DnsEvents.jsonl" ]; then
    "$huntlab" simulate --quiet --scale 10 --out "$work/sim"
fi

instructions() { # FILE: the whole-process instruction count of scanning it
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
        "$huntlab" scan --quiet --json "$1" >/dev/null 2>"$work/cg.err" || true
    awk '/^summary:/ { print $2 }' "$work/cg.out"
}

if [ ! -s "$work/sim/Sysmon22.jsonl" ]; then
    grep '"EventID":22' "$work/sim/SysmonEvents.jsonl" >"$work/sim/Sysmon22.jsonl"
fi

for table in DnsEvents SysmonEvents Sysmon22; do
    src="$work/sim/$table.jsonl"
    rows=$(wc -l <"$src")
    if [ "$rows" -lt $((2 * n)) ]; then
        echo "$table: $rows rows, fewer than 2 x $n" >&2
        exit 2
    fi
    head -n "$n" "$src" >"$work/$table.1.jsonl"
    head -n $((2 * n)) "$src" >"$work/$table.2.jsonl"
    one=$(instructions "$work/$table.1.jsonl")
    two=$(instructions "$work/$table.2.jsonl")
    echo "$table: $n rows, $(((two - one) / n)) instructions per row"
done
