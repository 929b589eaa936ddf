#!/bin/sh
# run.sh [SECONDS] - build the libFuzzer target (clang, ASan + UBSan),
# replay every regression file, then fuzz for SECONDS (default 20) from a
# seed corpus of the test and sample notes. Prints ok/not ok lines.
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-20}
out=build/fuzz
mkdir -p "$out"
src=$(find src -name '*.c' ! -name main.c | sort)
flags="-std=c17 -g -O1 -D_GNU_SOURCE $(pkg-config --cflags librsvg-2.0 2>/dev/null) $(pkg-config --cflags freetype2 2>/dev/null || echo -I/usr/include/freetype2) $(pkg-config --cflags fribidi 2>/dev/null || echo -I/usr/include/fribidi) -Isrc -I${BUILD:-build}/gen -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
if ! command -v clang >/dev/null; then
	echo "not ok - fuzz: clang is not installed (make deps-test)"
	exit 1
fi
if ! clang $flags -o "$out/fuzz_quire" tests/fuzz/fuzz_quire.c $src \
	-lcmark -lyaml -lhpdf -lpng -ljpeg -lsqlite3 -lzip -lcrypto -lfreetype -lhyphen -lfribidi -ldeflate -lz -lm 2>"$out/build.log"; then
	echo "not ok - fuzz: target does not build: $(tail -n 3 "$out/build.log")"
	exit 1
fi
echo "ok - fuzz target builds"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
# leaks inside Debian's libraries (libhyphen's loader), as in make asan
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
fails=0
for f in tests/fuzz/regress/*; do
	[ -f "$f" ] || continue
	if "$out/fuzz_quire" "$f" >"$out/replay.log" 2>&1; then
		echo "ok - fuzz regression $(basename "$f")"
	else
		echo "not ok - fuzz regression $(basename "$f"): $(grep -m1 ERROR "$out/replay.log")"
		fails=1
	fi
done
# fresh seed folders each run (libFuzzer adds what it finds to them)
seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
mkdir -p "$seeds/reader" "$seeds/all"
cp tests/golden/*.md input/*.md "$seeds/all/" 2>/dev/null
cp tests/data/*.md "$seeds/all/" 2>/dev/null
cp tests/fuzz/regress/* tests/fuzz/seeds/* "$seeds/all/" 2>/dev/null
cp tests/fixtures/images/*.gif tests/fixtures/images/*.webp tests/fixtures/images/*.svg "$seeds/all/" 2>/dev/null
cp "$seeds"/all/* "$seeds/reader/"
cp tests/corpus/*.md "$seeds/reader/" 2>/dev/null
rm -f crash-* leak-* timeout-* oom-*
# previous decks: SQLite collections and .apkg files
mkdir -p "$seeds/deck"
python3 tests/fuzz/make-seeds.py "$seeds/deck" tests/fixtures/deck-*/*.apkg >"$out/seeds.log" 2>&1 ||
	echo "# make-seeds.py failed: $(tail -n 1 "$out/seeds.log")"
# two fifths of the time on the reader alone (fast, many inputs), two
# fifths on every back end with smaller inputs (the PDF back end is slow
# under ASan), one fifth on reading previous decks
part=$((secs * 2 / 5))
QUIRE_FUZZ_READER_ONLY=1 "$out/fuzz_quire" -max_total_time="$part" -max_len=65536 -timeout=20 \
	-rss_limit_mb=4096 -print_final_stats=1 "$seeds/reader" >"$out/fuzz.log" 2>&1
"$out/fuzz_quire" -max_total_time="$part" -max_len=4096 -timeout=30 -rss_limit_mb=4096 \
	-print_final_stats=1 "$seeds/all" >"$out/fuzz-all.log" 2>&1
QUIRE_FUZZ_DECK_ONLY=1 "$out/fuzz_quire" -max_total_time="$((secs - 2 * part))" -max_len=131072 \
	-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$seeds/deck" >"$out/fuzz-deck.log" 2>&1
found=$(ls crash-* leak-* timeout-* oom-* 2>/dev/null)
if [ -n "$found" ]; then
	for f in $found; do
		mv "$f" tests/fuzz/regress/
		echo "not ok - fuzzing found $f (moved to tests/fuzz/regress/): $(cat "$out"/fuzz*.log | grep -m1 -E 'ERROR|SUMMARY')"
	done
	fails=1
else
	r1=$(grep 'stat::number_of_executed_units' "$out/fuzz.log" | head -1 | awk '{print $2}')
	r2=$(grep 'stat::number_of_executed_units' "$out/fuzz-all.log" | head -1 | awk '{print $2}')
	r3=$(grep 'stat::number_of_executed_units' "$out/fuzz-deck.log" | head -1 | awk '{print $2}')
	n3=$(ls "$seeds/deck" | grep -c 'anki2$')
	if [ "$n3" -lt 9 ]; then
		echo "not ok - fuzzing: only $n3 SQLite seeds for the previous-deck reader"
		fails=1
	fi
	echo "ok - fuzzing ${secs}s: ${r1:-?} inputs through the reader, ${r2:-?} through every back end, ${r3:-?} previous decks (from $n3 SQLite seeds), no crash"
fi
exit $fails
