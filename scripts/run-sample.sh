#!/usr/bin/env bash
# Set up, build, generate a click stream, and run the flagship recommendation pipeline on it:
# show some recommendations, the trending items, and how well the lists predicted the next click.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
events=${EVENTS:-500000}
swift build -c release --product recommendations
bin=$(swift build -c release --show-bin-path)
mkdir -p out
"$bin/recommendations" generate --users 5000 --items 3000 --events "$events" --out out/clicks.jsonl --catalog out/items.jsonl
echo "running: recommendations --input events=out/clicks.jsonl --input items=out/items.jsonl --output out=out/recommendations.jsonl --output trending=out/trending.jsonl --parallelism 2" >&2
time "$bin/recommendations" --input events=out/clicks.jsonl --input items=out/items.jsonl \
    --output out=out/recommendations.jsonl --output trending=out/trending.jsonl --parallelism 2
echo "a few recommendation lists (out/recommendations.jsonl, $(wc -l < out/recommendations.jsonl) lines):"
head -5 out/recommendations.jsonl
echo "the latest trending window of category 1 (out/trending.jsonl):"
grep '"category":1,' out/trending.jsonl | tail -1
echo "hit rate @10 of the lists against a most-popular baseline:"
"$bin/recommendations" evaluate --events out/clicks.jsonl --recommendations out/recommendations.jsonl
