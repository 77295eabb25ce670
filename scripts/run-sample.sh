#!/usr/bin/env bash
# Set up, build, generate Nexmark events, and run the sample pipeline on them at parallelism 2.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
events=${EVENTS:-1000000}
swift build -c release --product auctionstats
swift build -c release --product nexmark
bin=$(swift build -c release --show-bin-path)
mkdir -p out
"$bin/nexmark" generate --events "$events" --out out/events.jsonl
echo "running: auctionstats --input events=out/events.jsonl --output out=out/auction-stats.jsonl --parallelism 2" >&2
time "$bin/auctionstats" --input events=out/events.jsonl --output out=out/auction-stats.jsonl --parallelism 2
echo "first lines of out/auction-stats.jsonl ($(wc -l < out/auction-stats.jsonl) lines):"
head -5 out/auction-stats.jsonl
