/* module_info.h — questions the CLI asks of a module before running it:
 * what it imports and exports, and their types as text for messages. */
#ifndef ISORUN_CLI_MODULE_INFO_H
#define ISORUN_CLI_MODULE_INFO_H

#include "isorun.h"

#include <stdbool.h>
#include <stddef.h>

/* True when m imports anything from `module`. */
bool module_imports_from(const isorun_module *m, const char *module);

/* True when m exports a function `name`; its type goes to *type (may be
 * NULL). */
bool module_function_export(const isorun_module *m, const char *name, isorun_functype *type);

/* "add, sum_check, count_vowels, ...": up to six exported functions whose
 * names do not start with '_' (what a user could --invoke), into buf. */
void module_list_functions(const isorun_module *m, char *buf, size_t size);

/* "(i32 i64 -> f32)", "(-> i32)", "(i32 ->)", "(->)" into buf. */
void functype_describe(const isorun_functype *t, char *buf, size_t size);

#endif /* ISORUN_CLI_MODULE_INFO_H */
