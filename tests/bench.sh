#!/bin/sh
# bench.sh - speed and memory of quire (a benchmark, never a test).
# Prints a Markdown table; the README keeps the latest numbers.
cd "$(dirname "$0")/.." || exit 1
exec python3 tests/bench.py "$@"
