#!/bin/sh
# run.sh - run every test of quire and end with "N passed, N failed".
#
# A test is one "ok - name" or "not ok - name" line printed by:
#   build/tests/test_*        unit tests (tests/unit/test_*.c)
#   tests/golden/run.sh       golden dumps of the study model
#   tests/e2e/*.sh            end-to-end checks with the real validators
#   tests/fuzz/run.sh         replay of the fuzz regressions + a short fuzz run
# A program that exits non-zero without printing "not ok" counts as one
# failure, so a crash is never silent.
cd "$(dirname "$0")/.." || exit 1
BUILD=${BUILD:-build}
export QUIRE="${QUIRE:-$PWD/$BUILD/quire}" BUILD
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() {
	name=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(not )?ok - ' >>"$log"
	printf '%s\n' "$out" | grep -E '^not ok - ' | sed "s|^|[$name] |"
	if [ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok - '; then
		echo "not ok - $name exited with status $rc" >>"$log"
		echo "[$name] not ok - exited with status $rc"
		printf '%s\n' "$out" | tail -n 5 | sed "s|^|[$name]   |"
	fi
}

for t in "$BUILD"/tests/test_*; do
	case "$t" in *.d) continue ;; esac
	[ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
[ -x tests/golden/run.sh ] && run_one golden tests/golden/run.sh
[ -x tests/cards/run.sh ] && run_one cards tests/cards/run.sh
[ -x "$BUILD/tests/spec_test" ] && run_one spec "$BUILD/tests/spec_test" tests/spec/spec.txt tests/spec/dialect.txt
[ -x "$BUILD/tests/spec_test" ] && run_one notes-dialect "$BUILD/tests/spec_test" --notes tests/spec/notes-dialect.txt
for t in tests/e2e/*.sh; do
	[ -x "$t" ] && run_one "$(basename "$t" .sh)" "$t"
done
[ -x tests/fuzz/run.sh ] && [ -z "$QUIRE_NO_FUZZ" ] && run_one fuzz tests/fuzz/run.sh 20

passed=$(grep -c '^ok - ' "$log")
failed=$(grep -c '^not ok - ' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
