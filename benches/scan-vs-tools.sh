#!/usr/bin/env bash
# The scan comparison of docs/benchmarks.md, in one run on one machine:
#
# 1. a million DnsEvents rows (JSON Lines) against a 100,000-domain feed:
#    `huntlab scan --iocs FEED FILE` against `rg -F -c -f FEED FILE` (ripgrep,
#    installed with apt-get when missing; case-sensitive substrings, no parsing);
# 2. the simulator's Sysmon rows (`huntlab simulate --scale SCALE`) with the
#    built-in content's two IOCs: `huntlab scan` against DuckDB's
#    `read_json_auto` + `QueryName ILIKE '%ioc%' OR ...` (what pySigma's DuckDB
#    backend runs; duckdb from the Python package index, in a venv);
# 3. the same simulation's Sysmon event 22 lines only, repeated ten times (a
#    DNS-only export: every row that fires waits for a process creation that
#    never comes), the same two sides, DuckDB with `union_by_name=true`.
#
# Prints each side's wall time, peak memory and hit count side by side.
# Usage: benches/scan-vs-tools.sh [WORKDIR] [SCALE]   (defaults: a temporary
# folder, scale 25)
set -euo pipefail

cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
scale="${2:-25}"
mkdir -p "$work"

cargo build --release --quiet -p harness --bin huntlab
cargo build --release --quiet -p benches --example scan_input
huntlab="${CARGO_TARGET_DIR:-target}/release/huntlab"

if ! command -v rg >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq ripgrep; else sudo apt-get update -qq && sudo apt-get install -y -qq ripgrep; fi
fi
if [ ! -x "$work/venv/bin/python" ]; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet duckdb
fi

# Wall seconds and peak KB of a command; its stdout goes to $work/out.
timed() {
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
    # The last line: /usr/bin/time first notes a non-zero exit status.
    read -r secs kb < <(tail -n 1 "$work/time")
    echo "$secs s, $((kb / 1024)) MB"
}
alerts() { grep -o '[0-9]* alert(s)' "$work/err" | grep -o '^[0-9]*'; }

echo "== DnsEvents: 1,000,000 rows, 100,000-domain feed"
planted=$("${CARGO_TARGET_DIR:-target}"/release/examples/scan_input "$work" 100000 1000000)
head -n 1 "$work/DnsEvents.jsonl" >"$work/one.jsonl"
echo "planted has_any hits: $planted"
t=$(timed "$huntlab" scan --threads 2 --quiet --json --iocs "$work/feed.txt" "$work/DnsEvents.jsonl")
printf '%-34s %-22s hits %s\n' "huntlab scan --threads 2" "$t" "$(alerts)"
t=$(timed "$huntlab" scan --threads 1 --quiet --json --iocs "$work/feed.txt" "$work/DnsEvents.jsonl")
printf '%-34s %-22s hits %s\n' "huntlab scan --threads 1" "$t" "$(alerts)"
t=$(timed "$huntlab" scan --quiet --json --iocs "$work/feed.txt" "$work/one.jsonl")
printf '%-34s %-22s\n' "huntlab scan, feed load only" "$t"
t=$(timed rg -F -c -f "$work/feed.txt" "$work/DnsEvents.jsonl")
printf '%-34s %-22s hits %s\n' "rg -F -c -f FEED FILE" "$t" "$(cat "$work/out")"
t=$(timed rg -F -i -c -f "$work/feed.txt" "$work/DnsEvents.jsonl")
printf '%-34s %-22s hits %s\n' "rg -F -i -c -f FEED FILE" "$t" "$(cat "$work/out")"

echo "== Sysmon: huntlab simulate --scale $scale, the content's two IOCs"
"$huntlab" simulate --quiet --scale "$scale" --out "$work/sim" >/dev/null
sysmon="$work/sim/SysmonEvents.jsonl"
echo "rows: $(wc -l <"$sysmon")"
t=$(timed "$huntlab" scan --threads 2 --quiet --json "$sysmon")
printf '%-34s %-22s hits %s\n' "huntlab scan --threads 2" "$t" "$(alerts)"
t=$(timed "$huntlab" scan --threads 1 --quiet --json "$sysmon")
printf '%-34s %-22s hits %s\n' "huntlab scan --threads 1" "$t" "$(alerts)"
cat >"$work/duck.py" <<'PY'
import sys, time, duckdb
t0 = time.time()
con = duckdb.connect()
union = ", union_by_name=true" if len(sys.argv) > 2 else ""
con.execute(f"CREATE TABLE logs AS SELECT * FROM read_json_auto('{sys.argv[1]}'{union})")
t1 = time.time()
n = con.execute("SELECT count(*) FROM logs WHERE QueryName ILIKE '%estaliax.io%' OR QueryName ILIKE '%duraktantuni.site%'").fetchone()[0]
t2 = time.time()
print(f"{n} load {t1 - t0:.2f} s query {t2 - t1:.2f} s")
PY
t=$(timed "$work/venv/bin/python" "$work/duck.py" "$sysmon")
printf '%-34s %-22s hits %s\n' "duckdb read_json_auto + ILIKE" "$t" "$(cat "$work/out")"

echo "== Sysmon event 22 only: the same simulation's event 22 lines, ten times"
dns22="$work/sysmon22.jsonl"
grep '"EventID":22' "$sysmon" >"$work/one22.jsonl"
for _ in 1 2 3 4 5 6 7 8 9 10; do cat "$work/one22.jsonl"; done >"$dns22"
echo "rows: $(wc -l <"$dns22")"
t=$(timed "$huntlab" scan --threads 2 --quiet --json "$dns22")
printf '%-34s %-22s hits %s\n' "huntlab scan --threads 2" "$t" "$(alerts)"
t=$(timed "$huntlab" scan --threads 1 --quiet --json "$dns22")
printf '%-34s %-22s hits %s\n' "huntlab scan --threads 1" "$t" "$(alerts)"
t=$(timed "$work/venv/bin/python" "$work/duck.py" "$dns22" union)
printf '%-34s %-22s hits %s\n' "duckdb read_json_auto + ILIKE" "$t" "$(cat "$work/out")"
