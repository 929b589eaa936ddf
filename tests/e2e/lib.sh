# lib.sh - the prelude of the end-to-end scripts: sourced (never run: not
# executable) after setting NAME, it goes to the repository's top, makes
# $QUIRE absolute, gives a temporary folder $tmp removed on exit (a script
# that must clean up more sets its own trap, removing $tmp too), fixes
# SOURCE_DATE_EPOCH, and defines ok/nok (one "ok"/"not ok" line,
# prefixed with NAME) and run.
cd "$(dirname "$0")/../.." || exit 1
QUIRE=${QUIRE:-./quire}
case $QUIRE in /*) ;; *) QUIRE=$PWD/$QUIRE ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SOURCE_DATE_EPOCH=1700000000

ok() { echo "ok - $NAME: $1"; }
nok() { echo "not ok - $NAME: $1${2:+: $2}"; }
# run WANT NAME ARGS...: quire's exit status must be WANT (stderr in $tmp/err)
run() {
	want=$1 name=$2
	shift 2
	"$QUIRE" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want" ]; then ok "$name"; else nok "$name" "exit $rc, want $want: $(head -c 300 "$tmp/err")"; fi
}
