#!/usr/bin/env bash
# Scan speed on every table a feed reaches, in one run on one machine
# (docs/benchmarks.md, "Scanning the network, proxy and file tables"):
# `huntlab scan --iocs FEED FILE` (whole process, the generic feed content)
# over 1,000,000 rows of each table against a 100,000-indicator feed:
#
#   DnsEvents                    100,000 domains    (examples/scan_input.rs)
#   DeviceNetworkEvents          100,000 ip:port    (examples/kinds_input.rs)
#   CommonSecurityLog, firewall  the same ip:ports
#   CommonSecurityLog, proxy     100,000 URLs       (RequestURL)
#   DeviceFileEvents             100,000 SHA-256
#
# about 1.5 % of each table's rows planted hits. Each file is scanned with
# --threads 1 and --threads 2 (`/usr/bin/time`: wall time, peak memory); every
# run's alert count must equal the planted count and every feed indicator must
# be taken, or the script fails. Also times the feed's loading alone (a scan of
# the file's first row). Prints rows/s (whole process, loading included), each
# table's cost against DnsEvents' (DnsEvents' rows/s over the table's, with as
# many threads), and the load average before and after.
#
# Each timing is repeated REPS times (the machine is shared: the median is
# reported, with the fastest and slowest run).
#
# With N, each table's instructions per row are also counted, which do not
# depend on the machine's load: valgrind's callgrind over the table's first N
# and first 2N rows (`--threads 1`, whole process), the difference over N (as
# benches/callgrind-scan.sh does; start-up and the feed's loading cancel out).
#
# Usage: benches/scan-kinds.sh [WORKDIR] [REPS] [N]   (defaults: a temporary
# folder, 3, no count; the inputs take about 1.7 GB). CARGO_TARGET_DIR is
# honoured.
set -euo pipefail

cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
reps="${2:-3}"
count="${3:-}"
mkdir -p "$work"
rows=1000000
iocs=100000

cargo build --release --quiet -p harness --bin huntlab
cargo build --release --quiet -p benches --example scan_input --example kinds_input
target="${CARGO_TARGET_DIR:-target}"
huntlab="$target/release/huntlab"

fail() {
    echo "scan-kinds: $*" >&2
    exit 1
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== writing the inputs in $work ($rows rows a table, $iocs indicators a feed)"
dns_planted=$("$target/release/examples/scan_input" "$work" "$iocs" "$rows")
# Each line: the table's file, its feed, its planted hits (every row checked).
"$target/release/examples/kinds_input" "$work" "$iocs" "$rows" >"$work/planted"
{
    echo "DnsEvents.jsonl feed.txt $dns_planted"
    cat "$work/planted"
} >"$work/cases"

# Runs huntlab scan on a file with a feed; sets secs, mb, cpu (user + system
# seconds) and alerts. A run with another status than 0 (no hit) or 1 (hits),
# any feed entry left out, or other than one hit written per alert, fails.
scan() {
    local threads=$1 feed=$2 file=$3 status
    /usr/bin/time -f "%e %M %U %S" -o "$work/time" \
        "$huntlab" scan --threads "$threads" --quiet --json --iocs "$work/$feed" "$work/$file" \
        >"$work/out" 2>"$work/err" && status=0 || status=$?
    if [ "$status" -gt 1 ]; then
        cat "$work/err" >&2
        fail "$file: huntlab scan exited with status $status"
    fi
    grep -q "^huntlab: IOC feeds: $iocs indicator(s) taken .*, 0 entr(y/ies) left out" "$work/err" ||
        fail "$file: not every one of $feed's $iocs indicators was taken: $(grep '^huntlab: IOC feeds' "$work/err")"
    # The last line: /usr/bin/time first notes a non-zero exit status.
    read -r secs kb user sys < <(tail -n 1 "$work/time")
    mb=$((kb / 1024))
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    alerts=$(grep -o '[0-9]* alert(s)' "$work/err" | grep -o '^[0-9]*')
    local written
    written=$(wc -l <"$work/out")
    [ "$written" = "$alerts" ] || fail "$file: $alerts alert(s) counted but $written hit(s) written"
}

row() { printf '%-28s %7s %-17s %6s %7s %7s %9s %7s %7s\n' "$@"; }
row table threads "wall s [range]" "cpu s" "peak MB" hits "rows/s" "vs DNS" "load s"
declare -A dns_secs
while read -r file feed planted; do
    head -n 1 "$work/$file" >"$work/one.jsonl"
    scan 1 "$feed" one.jsonl
    load=$secs
    for threads in 1 2; do
        times=() cpus=() peak=0
        for _ in $(seq "$reps"); do
            scan "$threads" "$feed" "$file"
            [ "$alerts" = "$planted" ] ||
                fail "$file, --threads $threads: $alerts alert(s), $planted planted"
            times+=("$secs")
            cpus+=("$cpu")
            if [ "$mb" -gt "$peak" ]; then peak=$mb; fi
        done
        read -r median lo hi < <(printf '%s\n' "${times[@]}" | sort -n |
            awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)], t[1], t[NR] }')
        cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }')
        rate=$(awk -v r="$rows" -v s="$median" 'BEGIN { printf "%.2f M", r / s / 1e6 }')
        if [ "$file" = DnsEvents.jsonl ]; then
            dns_secs[$threads]=$median
        fi
        ratio=$(awk -v d="${dns_secs[$threads]}" -v s="$median" 'BEGIN { printf "%.2fx", s / d }')
        row "${file%.jsonl}" "$threads" "$median [$lo-$hi]" "$cpu" "$peak" "$alerts" "$rate" "$ratio" "$load"
    done
done <"$work/cases"
echo "(wall s: the median of $reps runs [fastest-slowest]; cpu s: the median user + system seconds; rows/s: $rows over the median, whole process;"
echo " vs DNS: DnsEvents' rows/s over the table's, as many threads; load s: the feed loaded, one row scanned;"
echo " every hit count equals the planted count, every feed indicator taken)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

[ -n "$count" ] || exit 0
command -v valgrind >/dev/null || fail "valgrind is needed for the instruction counts: apt-get install valgrind"
instructions() { # FEED FILE: the whole-process instruction count of scanning it
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
        "$huntlab" scan --threads 1 --quiet --json --iocs "$work/$1" "$2" >/dev/null 2>"$work/cg.err" || true
    awk '/^summary:/ { print $2 }' "$work/cg.out"
}
echo "== instructions per row (callgrind, the first $count and $((2 * count)) rows)"
while read -r file feed _; do
    head -n "$count" "$work/$file" >"$work/cg.1.jsonl"
    head -n $((2 * count)) "$work/$file" >"$work/cg.2.jsonl"
    one=$(instructions "$feed" "$work/cg.1.jsonl")
    two=$(instructions "$feed" "$work/cg.2.jsonl")
    printf '%-28s %7s instructions per row\n' "${file%.jsonl}" $(((two - one) / count))
done <"$work/cases"
