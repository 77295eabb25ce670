#!/usr/bin/env bash
# Set up, build, and run every test (unit, operator, and end-to-end runs of pipeline binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build --build-tests
swift test --skip-build "$@"
