#!/usr/bin/env bash
# cli_rpc_tests.sh — process-level tests of remote calls through the isorun
# command: `isorun serve` and `isorun run --link`, a server killed mid-call,
# garbage at the listener, shutdown with a call in flight, NATS.
#
# usage: cli_rpc_tests.sh CASE ISORUN GUEST_DIR [NATS_SERVER]
# Exit 0: passed; 77: skipped (says why); anything else: failed (says why).
set -u

case_name=$1
isorun=$2
guests=$3
nats_server=${4:-}

# Writing garbage to a listener that hangs up must not kill this script.
trap '' PIPE

work=$(mktemp -d /tmp/isorun-cli-rpc.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; [ -f "$work/serve.log" ] && sed 's/^/  serve.log: /' "$work/serve.log"; exit 1; }

provider=$guests/math_provider.wasm
consumer=$guests/math_consumer.wasm
[ -f "$provider" ] && [ -f "$consumer" ] || { echo "skipped: the .wat guests were not built"; exit 77; }

# Starts `isorun serve ARGS...` in the background, logging to serve.log,
# and waits until it listens; sets serve_pid and tcp (tcp://127.0.0.1:PORT
# when a tcp listener on port 0 was asked for).
start_serve() {
    "$isorun" serve "$@" 2> "$work/serve.log" &
    serve_pid=$!
    pids+=("$serve_pid")
    for _ in $(seq 100); do
        if grep -q "listening on" "$work/serve.log" 2>/dev/null; then
            tcp=$(grep -oE 'tcp://127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -1)
            return 0
        fi
        kill -0 "$serve_pid" 2>/dev/null || fail "isorun serve exited before listening"
        sleep 0.05
    done
    fail "isorun serve did not start listening"
}

# Stops the server with a signal and checks that it exits 0 within 5 s.
stop_serve() {
    kill -"${1:-TERM}" "$serve_pid"
    for _ in $(seq 100); do
        kill -0 "$serve_pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -0 "$serve_pid" 2>/dev/null && fail "isorun serve did not stop within 5 s of SIG${1:-TERM}"
    wait "$serve_pid"
    local status=$?
    [ "$status" -eq 0 ] || fail "isorun serve exited with $status after SIG${1:-TERM}, expected 0"
    grep -q "stopped" "$work/serve.log" || fail "no 'stopped' line in the log"
}

# expect_run STATUS OUTPUT ARGS...: runs `isorun run ARGS...` and checks its
# exit status and stdout.
expect_run() {
    local want_status=$1 want_out=$2
    shift 2
    local out status
    out=$(timeout 20 "$isorun" run "$@" 2> "$work/run.err")
    status=$?
    [ "$status" -eq "$want_status" ] || fail "isorun run $* exited $status, expected $want_status: $(cat "$work/run.err")"
    [ "$out" = "$want_out" ] || fail "isorun run $* printed '$out', expected '$want_out'"
}

case_serve_and_link() {
    start_serve --listen tcp://127.0.0.1:0 --listen "unix://$work/math.sock" --fuel 1e9 "$provider" --as math-1 \
        --timeout 5s "$provider" --as math-2
    grep -q 'instance "math-1" ready' "$work/serve.log" || fail "no ready line for math-1"
    # Over TCP, over the Unix socket, and to the second instance.
    expect_run 0 42 --invoke run --link "example:math/ops=$tcp/math-1" "$consumer"
    expect_run 0 5050 --invoke sum_to --link "example:math/ops=unix://$work/math.sock/math-1" "$consumer" 100
    expect_run 0 -7 --invoke add --link "example:math/ops=$tcp/math-2" "$consumer" -10 3
    # The provider in-process instead (local link): the same answers.
    expect_run 0 42 --invoke run --link "example:math/ops=$provider" "$consumer"
    # Remote traps and errors end the run with the trap status and a line.
    expect_run 134 "" --invoke div --link "example:math/ops=$tcp/math-1" "$consumer" 1 0
    grep -q "remote trap" "$work/run.err" || fail "the trap line does not say it was remote: $(cat "$work/run.err")"
    grep -q "integer divide by zero" "$work/run.err" || fail "the trap line lacks the trap: $(cat "$work/run.err")"
    expect_run 134 "" --invoke run --link "example:math/ops=$tcp/nobody" "$consumer"
    grep -q "unknown-instance" "$work/run.err" || fail "no unknown-instance: $(cat "$work/run.err")"
    # The caller's --timeout crosses the wire: the server's spin stops too.
    local start=$SECONDS
    expect_run 134 "" --timeout 500ms --invoke spin --link "example:math/ops=$tcp/math-1" "$consumer"
    grep -q "deadline" "$work/run.err" || fail "spin did not end at the deadline: $(cat "$work/run.err")"
    [ $((SECONDS - start)) -le 3 ] || fail "spin with a 500ms timeout took $((SECONDS - start)) s"
    expect_run 0 3 --invoke add --link "example:math/ops=$tcp/math-1" "$consumer" 1 2
    grep -q "connection from tcp 127.0.0.1" "$work/serve.log" || fail "no connection lines in the log"
    stop_serve TERM
    grep -q "SIGTERM received" "$work/serve.log" || fail "no SIGTERM line"
    [ ! -e "$work/math.sock" ] || fail "the Unix socket file was left behind"
}

case_serve_errors() {
    local out status
    out=$("$isorun" serve "$provider" --as x 2>&1); status=$?
    [ "$status" -eq 125 ] && echo "$out" | grep -q "no --listen" || fail "no --listen: $status $out"
    out=$("$isorun" serve --listen tcp://127.0.0.1:0 "$provider" 2>&1); status=$?
    [ "$status" -eq 125 ] && echo "$out" | grep -q "not followed by --as" || fail "missing --as: $status $out"
    out=$("$isorun" serve --listen tcp://127.0.0.1:0 "$provider" --as a "$provider" --as a 2>&1); status=$?
    [ "$status" -eq 125 ] && echo "$out" | grep -q "ids must differ" || fail "duplicate ids: $status $out"
    out=$("$isorun" serve --listen tcp://127.0.0.1:0 "$consumer" --as c 2>&1); status=$?
    [ "$status" -eq 125 ] && echo "$out" | grep -q "link that module" || fail "unlinked import: $status $out"
    out=$("$isorun" serve --listen bogus://x "$provider" --as a 2>&1); status=$?
    [ "$status" -eq 125 ] && echo "$out" | grep -q "unknown scheme" || fail "bad address: $status $out"
    out=$("$isorun" run --invoke run --link "example:math/ops=tcp://127.0.0.1:1/x" "$consumer" 2>&1); status=$?
    [ "$status" -eq 125 ] && echo "$out" | grep -q "is a server listening there" || fail "dial error: $status $out"
    "$isorun" serve --help | grep -q "usage: isorun serve" || fail "no serve help"
}

# Three processes: a consumer calls an app served by `isorun serve` with a
# WASI mount, a local link and a remote link to a provider served by a
# second `isorun serve`.
case_chain_with_wasi() {
    local app=$guests/multi_system.wasm counter=$guests/counter.wasm caller=$guests/app_consumer.wasm
    [ -f "$app" ] && [ -f "$caller" ] || { echo "skipped: guests not built"; exit 77; }
    start_serve --listen tcp://127.0.0.1:0 "$provider" --as math-1
    local provider_pid=$serve_pid provider_tcp=$tcp
    mv "$work/serve.log" "$work/provider.log"
    mkdir "$work/data"
    start_serve --listen tcp://127.0.0.1:0 --dir "$work/data::/data" --fuel 1e8 \
        --link "local:counter=$counter" --link "example:math/ops=$provider_tcp/math-1" "$app" --as app
    expect_run 0 41 --invoke go --link "app=$tcp/app" "$caller" 40
    expect_run 0 102 --invoke go --link "app=$tcp/app" "$caller" 100
    # The app wrote the result into its mount, on the host.
    local bytes
    bytes=$(od -An -tu4 "$work/data/result.bin" | tr -d ' ')
    [ "$bytes" = 102 ] || fail "result.bin holds '$bytes', expected 102"
    stop_serve TERM
    serve_pid=$provider_pid
    mv "$work/provider.log" "$work/serve.log"
    stop_serve TERM
}

# A server killed (SIGKILL) while a call runs in it: the caller is told at
# once that the peer is gone, it does not wait for its 30 s timeout.
case_peer_killed() {
    start_serve --listen tcp://127.0.0.1:0 "$provider" --as math-1
    local start=$SECONDS
    timeout 20 "$isorun" run --timeout 30s --invoke spin --link "example:math/ops=$tcp/math-1" "$consumer" \
        2> "$work/run.err" &
    local run_pid=$!
    sleep 0.5
    kill -KILL "$serve_pid"
    wait "$run_pid"
    local status=$?
    [ "$status" -eq 134 ] || fail "the caller exited $status, expected 134 (trap): $(cat "$work/run.err")"
    grep -q "unavailable" "$work/run.err" || fail "the caller was not told the peer is gone: $(cat "$work/run.err")"
    [ $((SECONDS - start)) -le 5 ] || fail "the caller took $((SECONDS - start)) s to notice"
}

# Garbage at the listener: the connection is dropped, the server goes on.
case_garbage_flood() {
    start_serve --listen tcp://127.0.0.1:0 "$provider" --as math-1
    local port=${tcp##*:}
    for _ in 1 2 3; do
        head -c 4000000 /dev/urandom > "/dev/tcp/127.0.0.1/$port" 2>/dev/null
    done
    printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' > "/dev/tcp/127.0.0.1/$port" 2>/dev/null
    # A header announcing a 4 GiB body.
    printf 'IR\001\001\377\377\377\377\000\000\000\000\000\000\000\000' > "/dev/tcp/127.0.0.1/$port" 2>/dev/null
    kill -0 "$serve_pid" || fail "the server died of garbage"
    expect_run 0 42 --invoke run --link "example:math/ops=$tcp/math-1" "$consumer"
    stop_serve INT
}

# SIGTERM while a call runs: the call is answered (interrupted after the
# grace period), the server exits 0.
case_shutdown_in_flight() {
    start_serve --listen tcp://127.0.0.1:0 --grace 300ms "$provider" --as math-1
    timeout 20 "$isorun" run --timeout 30s --invoke spin --link "example:math/ops=$tcp/math-1" "$consumer" \
        2> "$work/run.err" &
    local run_pid=$!
    sleep 0.5
    local start=$SECONDS
    stop_serve TERM
    wait "$run_pid"
    local status=$?
    [ "$status" -eq 134 ] || fail "the caller exited $status, expected 134: $(cat "$work/run.err")"
    grep -q "interrupted" "$work/run.err" || fail "the call was not answered 'interrupted': $(cat "$work/run.err")"
    grep -q "shutting down (1 call(s) in flight)" "$work/serve.log" || fail "no shutdown line with the call"
    [ $((SECONDS - start)) -le 3 ] || fail "shutdown took $((SECONDS - start)) s"
}

case_nats() {
    [ -n "$nats_server" ] && [ -x "$nats_server" ] || { echo "skipped: no nats-server"; exit 77; }
    "$nats_server" -a 127.0.0.1 -p -1 --ports_file_dir "$work" > "$work/nats.log" 2>&1 &
    local nats_pid=$!
    pids+=("$nats_pid")
    local url=""
    for _ in $(seq 100); do
        url=$(grep -oE 'nats://127\.0\.0\.1:[0-9]+' "$work/nats-server_$nats_pid.ports" 2>/dev/null | head -1)
        [ -n "$url" ] && break
        sleep 0.05
    done
    [ -n "$url" ] || fail "nats-server did not start"
    "$isorun" serve --listen "$url" "$provider" --as math-1 2> "$work/serve.log" &
    serve_pid=$!
    pids+=("$serve_pid")
    if ! sleep 0.3 || grep -q "no NATS support" "$work/serve.log"; then
        echo "skipped: built with ISORUN_NATS=OFF"; exit 77
    fi
    for _ in $(seq 100); do grep -q 'serving "math-1"' "$work/serve.log" && break; sleep 0.05; done
    expect_run 0 42 --invoke run --link "example:math/ops=$url/math-1" "$consumer"
    expect_run 134 "" --invoke run --link "example:math/ops=$url/ghost" "$consumer"
    grep -q "unknown-instance" "$work/run.err" || fail "no unknown-instance over NATS: $(cat "$work/run.err")"
    stop_serve INT
    kill -INT "$nats_pid"
    wait "$nats_pid"
}

"case_$case_name"
echo "PASS"
