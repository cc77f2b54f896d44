/*
 * actions.h — the two actions of the spec tests: invoke an exported function
 * with arguments, or get an exported global's value.
 */
#ifndef ISORUN_SPECTEST_ACTIONS_H
#define ISORUN_SPECTEST_ACTIONS_H

#include "json.h"
#include "session.h"
#include "values.h"

#include <stdbool.h>
#include <stddef.h>

typedef struct action_result {
    isorun_error *error; /* the engine's error (a trap, usually); NULL on success */
    bool timed_out;      /* the watchdog interrupted it */
    size_t count;        /* results on success */
    uint8_t *types;
    wasm_slot *values;   /* their slots back to back: a v128 takes two (wasm_valtype_slots) */
} action_result;

typedef enum action_status {
    ACTION_RAN,      /* the engine ran it: see result->error */
    ACTION_BAD,      /* it could not be run (unknown module/export, bad args); why says */
} action_status;

/* Runs the action. The caller frees result with action_result_free when the
 * status is ACTION_RAN; otherwise there is nothing to free. */
action_status run_action(session *s, const json_value *action, action_result *result, char *why, size_t why_size);

void action_result_free(action_result *result);

/* "(i32:1, f32:0 [0x00000000])" for a result list. A v128 result is cut
 * into the lanes of the expected value at the same position when there is
 * a v128 one (expected may be NULL), else into i32x4. */
void format_results(const action_result *result, const spec_value *expected, size_t nexpected, char *buf,
                    size_t size);

#endif /* ISORUN_SPECTEST_ACTIONS_H */
