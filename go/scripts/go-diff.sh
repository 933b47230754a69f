#!/usr/bin/env bash
# Runs the three TypeScript designs and their Go twins (plus the tour's Crawl) on one fixture and
# diffs them: Serial in exact order, the concurrent ones as sorted sets. Any difference fails with
# a unified diff. Usage: go-diff.sh CHANCRAWL_GO FIXTURE [DEPTH] [CONCURRENCY]
set -euo pipefail
go_bin=$1 fixture=$2 depth=${3:-} concurrency=${4:-}
flags=(--fixture "$fixture")
[[ -n $depth ]] && flags+=(--depth "$depth")
[[ -n $concurrency ]] && flags+=(--concurrency "$concurrency")
ts=(node dist/lib/cli/main.js)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for v in serial mutex channel; do
  "${ts[@]}" --variant "$v" "${flags[@]}" > "$tmp/ts-$v"
  "$go_bin" --variant "$v" "${flags[@]}" > "$tmp/go-$v"
done
"$go_bin" --variant tour "${flags[@]}" > "$tmp/go-tour"

status=0
diff -u --label ts-serial "$tmp/ts-serial" --label go-serial "$tmp/go-serial" || status=1
for v in mutex channel tour; do
  LC_ALL=C sort "$tmp/go-$v" > "$tmp/go-$v.sorted"
  [[ $v == tour ]] && ts_v=serial || ts_v=$v
  LC_ALL=C sort "$tmp/ts-$ts_v" > "$tmp/ts-$ts_v.sorted"
  diff -u --label "ts-$ts_v-sorted" "$tmp/ts-$ts_v.sorted" --label "go-$v-sorted" "$tmp/go-$v.sorted" || status=1
done
what="$fixture${depth:+ --depth $depth}${concurrency:+ --concurrency $concurrency}"
if (( status != 0 )); then
  echo "go-diff FAILED: $what" >&2
  exit 1
fi
echo "go-diff ok: $what: serial = Go serial in order; mutex, channel = their Go twins as sets; tour = serial as a set (fetches: $(wc -l < "$tmp/go-serial"))"
