/*
 * test_budget_memory_limit.c — isorun_budget's space limits: memory.grow and
 * table.grow fail (return -1) past max_memory_bytes / max_table_elements, or
 * trap with ISORUN_TRAP_RESOURCE_LIMIT under ISORUN_BUDGET_TRAP_ON_GROW;
 * instantiation is refused (ISORUN_ERR_LIMIT) when the initial sizes or the
 * number of tables exceed the budget; usage reports the bytes and elements.
 */
#include "rt_helpers.h"

#define PAGE 65536

static void test_memory_grow_fails_past_budget(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_budget budget = {.max_memory_bytes = 4 * PAGE};
    isorun_instance *inst = INSTANCE(rt, m, &budget);
    int32_t r = 0;
    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.memory_bytes, PAGE);

    EXPECT_OK(call_i32(inst, "grow", &r, 1, 1, 0, 0));
    CHECK_EQ_INT(r, 1);
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 2, 0, 0));
    CHECK_EQ_INT(r, 2);
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.memory_bytes, 4 * PAGE);
    /* One more page is over budget: memory.grow says -1, as the spec allows. */
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 1, 0, 0));
    CHECK_EQ_INT(r, -1);
    EXPECT_OK(call_i32(inst, "pages", &r, 0, 0, 0, 0));
    CHECK_EQ_INT(r, 4);
    /* Growing by nothing still works, and memory past the old end is usable. */
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 0, 0, 0));
    CHECK_EQ_INT(r, 4);
    EXPECT_OK(call_i32(inst, "store", NULL, 2, 4 * PAGE - 4, 77, 0));
    EXPECT_OK(call_i32(inst, "load", &r, 1, 4 * PAGE - 4, 0, 0));
    CHECK_EQ_INT(r, 77);
    EXPECT_TRAP(call_i32(inst, "load", &r, 1, 4 * PAGE, 0, 0), ISORUN_TRAP_MEMORY_OOB, NULL);
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.memory_bytes, 4 * PAGE);
    isorun_instance_free(inst);

    /* Without a budget only the engine's limits apply. */
    inst = INSTANCE(rt, m, NULL);
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 8, 0, 0));
    CHECK_EQ_INT(r, 1);
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 70000, 0, 0));
    CHECK_EQ_INT(r, -1);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static void test_memory_grow_traps_with_flag(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_budget budget = {.max_memory_bytes = 2 * PAGE, .flags = ISORUN_BUDGET_TRAP_ON_GROW};
    isorun_instance *inst = INSTANCE(rt, m, &budget);
    int32_t r = 0;
    EXPECT_TRAP(call_i32(inst, "grow", &r, 1, 2, 0, 0), ISORUN_TRAP_RESOURCE_LIMIT, "resource limit exceeded");
    /* Nothing grew, and the instance is still usable. */
    EXPECT_OK(call_i32(inst, "pages", &r, 0, 0, 0, 0));
    CHECK_EQ_INT(r, 1);
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 1, 0, 0));
    CHECK_EQ_INT(r, 1);
    EXPECT_TRAP(call_i32(inst, "grow", &r, 1, 1, 0, 0), ISORUN_TRAP_RESOURCE_LIMIT, NULL);
    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.memory_bytes, 2 * PAGE);
    CHECK_EQ_U64(u.traps, 2);
    /* A failure the spec defines (beyond 4 GiB) is not a budget refusal: -1. */
    isorun_instance_free(inst);
    budget.max_memory_bytes = 0;
    inst = INSTANCE(rt, m, &budget);
    EXPECT_OK(call_i32(inst, "grow", &r, 1, 70000, 0, 0));
    CHECK_EQ_INT(r, -1);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

static isorun_error *instantiate(isorun_runtime *rt, isorun_module *m, const isorun_budget *budget) {
    isorun_builder *b = isorun_builder_new(rt, m);
    REQUIRE(b);
    isorun_builder_set_budget(b, budget);
    isorun_instance *inst = NULL;
    isorun_error *err = isorun_builder_instantiate(b, &inst);
    isorun_builder_free(b);
    CHECK((inst == NULL) == (err != NULL));
    isorun_instance_free(inst);
    return err;
}

static void test_instantiation_refused(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    isorun_module *tables = LOAD_WAT(rt, "rt_tables");
    if (!m || !tables) goto done;
    /* rt_math starts with one page: half a page of budget is not enough. */
    isorun_budget budget = {.max_memory_bytes = PAGE / 2};
    EXPECT_ERROR(instantiate(rt, m, &budget), ISORUN_ERR_LIMIT, "over the budget of 32768 bytes (max_memory_bytes)");
    budget.max_memory_bytes = PAGE;
    EXPECT_OK(instantiate(rt, m, &budget));

    /* rt_tables has 10 + 1 elements in two tables. */
    budget = (isorun_budget){.max_table_elements = 5};
    EXPECT_ERROR(instantiate(rt, tables, &budget), ISORUN_ERR_LIMIT, "(max_table_elements)");
    budget = (isorun_budget){.max_table_elements = 11};
    EXPECT_OK(instantiate(rt, tables, &budget));
    budget = (isorun_budget){.max_tables = 1};
    EXPECT_ERROR(instantiate(rt, tables, &budget), ISORUN_ERR_LIMIT, "2 table(s), over the limit of 1 (max_tables)");
    budget = (isorun_budget){.max_tables = 2, .max_memories = 1, .max_instances = 1};
    EXPECT_OK(instantiate(rt, tables, &budget));
    EXPECT_OK(instantiate(rt, m, &budget));
done:
    isorun_module_free(m);
    isorun_module_free(tables);
    isorun_runtime_free(rt);
}

static void test_table_grow_budget(void) {
    isorun_runtime *rt = RUNTIME();
    isorun_module *m = LOAD_WAT(rt, "rt_math");
    if (!m) goto done;
    isorun_budget budget = {.max_table_elements = 3};
    isorun_instance *inst = INSTANCE(rt, m, &budget);
    int32_t r = 0;
    EXPECT_OK(call_i32(inst, "table_grow", &r, 1, 2, 0, 0));
    CHECK_EQ_INT(r, 1);
    EXPECT_OK(call_i32(inst, "table_grow", &r, 1, 1, 0, 0));
    CHECK_EQ_INT(r, -1);
    isorun_usage u;
    isorun_instance_usage(inst, &u);
    CHECK_EQ_U64(u.table_elements, 3);
    isorun_instance_free(inst);

    budget.flags = ISORUN_BUDGET_TRAP_ON_GROW;
    inst = INSTANCE(rt, m, &budget);
    EXPECT_TRAP(call_i32(inst, "table_grow", &r, 1, 3, 0, 0), ISORUN_TRAP_RESOURCE_LIMIT, NULL);
    EXPECT_OK(call_i32(inst, "table_grow", &r, 1, 2, 0, 0));
    CHECK_EQ_INT(r, 1);
    isorun_instance_free(inst);
done:
    isorun_module_free(m);
    isorun_runtime_free(rt);
}

int main(void) {
    RUN(test_memory_grow_fails_past_budget);
    RUN(test_memory_grow_traps_with_flag);
    RUN(test_instantiation_refused);
    RUN(test_table_grow_budget);
    return rt_summary();
}
