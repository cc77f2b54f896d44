#!/bin/sh
# counting_cc.sh — the C compiler test_native.c gives the native tier: it
# notes each run as a line in $ISORUN_TEST_CC_COUNTER, so the test can tell
# a build from a cache hit, and then is the system's cc.
echo run >>"$ISORUN_TEST_CC_COUNTER"
exec cc "$@"
