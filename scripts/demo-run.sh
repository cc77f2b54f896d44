#!/usr/bin/env bash
# demo-run.sh BUILD_DIR — the flagship demo's steps (see scripts/demo.sh,
# which installs and builds first), on an already built tree. CTest runs it
# too (cli.demo_flagship) and checks its output.
set -euo pipefail

build=${1:?usage: demo-run.sh BUILD_DIR}
isorun=$build/isorun
guests=$build/tests/guests
work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill -INT "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# The consumer's data: 1000 pseudo-random integers in its own directory.
mkdir "$work/data"
awk 'BEGIN { x = 12345; for (i = 0; i < 1000; i++) { x = (x * 1103515245 + 12345) % 2147483648; print x % 10000 } }' \
    >"$work/data/numbers.txt"

show() {
    echo
    echo "\$ $*"
    "$@"
}

echo
echo "== 1. a provider instance served over TCP"
echo "\$ $isorun serve --listen tcp://127.0.0.1:0 $guests/stats_provider.wasm --as stats-1 &"
"$isorun" serve --listen tcp://127.0.0.1:0 "$guests/stats_provider.wasm" --as stats-1 2>"$work/serve.log" &
server_pid=$!
address=
for _ in $(seq 100); do
    address=$(grep -oE 'tcp://127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -n 1 || true)
    [[ -n $address ]] && break
    sleep 0.05
done
cat "$work/serve.log"
if [[ -z $address ]]; then
    echo "demo: the server did not start" >&2
    exit 1
fi

budget=(--max-memory 16M --fuel 1e9 --timeout 5s)
echo
echo "== 2. a consumer with a mount and a budget, linked to it remotely"
show "$isorun" run --dir "$work/data::/data" "${budget[@]}" \
    --link "example:stats/ops=$address/stats-1" \
    "$guests/report.wasm" /data/numbers.txt /data/report-remote.txt
echo "(on the host: $(cat "$work/data/report-remote.txt"))"

echo
echo "== 3. the same consumer, linked to the provider in-process"
show "$isorun" run --dir "$work/data::/data" "${budget[@]}" \
    --link "example:stats/ops=$guests/stats_provider.wasm" \
    "$guests/report.wasm" /data/numbers.txt /data/report-local.txt
echo "(on the host: $(cat "$work/data/report-local.txt"))"

echo
echo "== 4. the same consumer with a budget too small for it"
status=0
show "$isorun" run --dir "$work/data::/data" --fuel 20000 \
    --link "example:stats/ops=$address/stats-1" \
    "$guests/report.wasm" /data/numbers.txt /data/report-small.txt || status=$?
echo "(exit status $status: the guest was stopped, the host was not)"

echo
echo "== the server's log"
kill -INT "$server_pid"
wait "$server_pid" || true
server_pid=
cat "$work/serve.log"
