/* actions.c — running invoke and get actions. */
#include "actions.h"
#include "values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static action_status bad(char *why, size_t why_size, const char *fmt, const char *arg) {
    snprintf(why, why_size, fmt, arg);
    return ACTION_BAD;
}

/* Allocates the result arrays for n values taking nslots slots (at least
 * one of each, so that the engine always gets a valid pointer). */
static bool alloc_results(action_result *result, size_t n, size_t nslots) {
    result->types = calloc(n ? n : 1, sizeof *result->types);
    result->values = calloc(nslots ? nslots : 1, sizeof *result->values);
    result->count = n;
    return result->types && result->values;
}

static action_status invoke(session *s, const wasm_extern *ext, const char *field, const json_value *args,
                            action_result *result, char *why, size_t why_size) {
    if (ext->kind != WASM_EXTERN_FUNC) return bad(why, why_size, "export \"%s\" is not a function", field);
    const wasm_functype *type = wasm_func_type(ext->u.func);
    if (!type) return bad(why, why_size, "wasm_func_type(\"%s\") returned NULL", field);
    size_t nargs = json_array_count(args);
    if (nargs != type->nparams) {
        snprintf(why, why_size, "\"%s\" takes %u arguments, the command gives %zu", field, (unsigned)type->nparams,
                 nargs);
        return ACTION_BAD;
    }
    /* Arguments and results are laid out by slots, not by count. */
    size_t param_slots = wasm_functype_param_slots(type);
    size_t result_slots = wasm_functype_result_slots(type);
    size_t nslots = param_slots > result_slots ? param_slots : result_slots;
    wasm_slot *slots = calloc(nslots ? nslots : 1, sizeof *slots);
    if (!slots || !alloc_results(result, type->nresults, result_slots)) {
        free(slots);
        return bad(why, why_size, "out of memory%s", "");
    }
    size_t at = 0;
    for (size_t i = 0; i < nargs; i++) {
        spec_value v;
        char err[160];
        if (!spec_value_parse(json_array_item(args, i), false, &v, err, sizeof err)) {
            snprintf(why, why_size, "argument %zu: %s", i, err);
            free(slots);
            return ACTION_BAD;
        }
        if (v.type != wasm_functype_params(type)[i]) {
            snprintf(why, why_size, "argument %zu is %s, \"%s\" takes %s", i, wasm_valtype_name(v.type), field,
                     wasm_valtype_name(wasm_functype_params(type)[i]));
            free(slots);
            return ACTION_BAD;
        }
        for (uint32_t k = 0; k < wasm_valtype_slots(v.type); k++) slots[at++] = v.bits[k];
    }
    session_clock_start(s);
    result->error = wasm_call(s->store, ext->u.func, slots, result->values);
    result->timed_out = session_clock_stop(s);
    free(slots);
    memcpy(result->types, wasm_functype_results(type), type->nresults);
    return ACTION_RAN;
}

static action_status get(const wasm_extern *ext, const char *field, action_result *result, char *why,
                         size_t why_size) {
    if (ext->kind != WASM_EXTERN_GLOBAL) return bad(why, why_size, "export \"%s\" is not a global", field);
    uint8_t type = wasm_global_type(ext->u.global).type;
    if (!alloc_results(result, 1, wasm_valtype_slots(type))) return bad(why, why_size, "out of memory%s", "");
    result->types[0] = type;
    wasm_global_get_slots(ext->u.global, result->values);
    return ACTION_RAN;
}

static action_status run_action_unchecked(session *s, const json_value *action, action_result *result, char *why,
                                          size_t why_size) {
    if (!s->store) return bad(why, why_size, "%s", "no store (wasm_store_new failed)");
    if (!action) return bad(why, why_size, "%s", "command has no \"action\"");
    const char *kind = json_string(json_get(action, "type"), NULL);
    size_t field_len = 0;
    const char *field = json_string(json_get(action, "field"), &field_len);
    if (!kind) return bad(why, why_size, "%s", "action has no \"type\"");
    if (!field) return bad(why, why_size, "%s", "action has no \"field\"");
    const json_value *module_name = json_get(action, "module");
    if (module_name && !json_string(module_name, NULL))
        return bad(why, why_size, "%s", "action's \"module\" is not a string");
    wasm_instance *inst;
    if (!session_find_instance(s, json_string(module_name, NULL), &inst, why, why_size)) return ACTION_BAD;

    wasm_extern ext;
    if (!session_find_export(inst, field, field_len, &ext)) return bad(why, why_size, "no export \"%s\"", field);
    if (strcmp(kind, "invoke") == 0) return invoke(s, &ext, field, json_get(action, "args"), result, why, why_size);
    if (strcmp(kind, "get") == 0) return get(&ext, field, result, why, why_size);
    return bad(why, why_size, "unknown action type \"%s\"", kind);
}

action_status run_action(session *s, const json_value *action, action_result *result, char *why, size_t why_size) {
    memset(result, 0, sizeof *result);
    action_status status = run_action_unchecked(s, action, result, why, why_size);
    /* Callers only look at (and free) results of actions that ran. */
    if (status != ACTION_RAN) action_result_free(result);
    return status;
}

void action_result_free(action_result *result) {
    isorun_error_free(result->error);
    free(result->types);
    free(result->values);
    memset(result, 0, sizeof *result);
}

void format_results(const action_result *result, const spec_value *expected, size_t nexpected, char *buf,
                    size_t size) {
    size_t o = (size_t)snprintf(buf, size, "(");
    const wasm_slot *slots = result->values;
    for (size_t i = 0; i < result->count && o < size; i++) {
        char v[256];
        uint8_t type = result->types[i];
        if (type == WASM_V128) {
            bool hint = i < nexpected && expected[i].type == WASM_V128;
            spec_v128_format(slots, hint ? expected[i].lanes : SPEC_LANES_I32X4, v, sizeof v);
        } else {
            spec_slot_format(type, slots[0], v, sizeof v);
        }
        slots += wasm_valtype_slots(type);
        o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", v);
    }
    if (o < size) snprintf(buf + o, size - o, ")");
}
