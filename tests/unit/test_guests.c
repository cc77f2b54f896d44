/*
 * test_guests.c — guests built from sources by the build run correctly on the
 * engine: hand-written text (fib.wat) and real clang output (textlib.c, a
 * reactor with no WASI imports, strings passed through its own malloc).
 */
#include "check.h"
#include "engine_helpers.h"

static uint32_t call_i32(wasm_store *store, wasm_func *f, const wasm_slot *args) {
    wasm_slot result = 0;
    EXPECT_OK(wasm_call(store, f, args, &result));
    return (uint32_t)result;
}

static void test_fib_recursive_and_loop_agree(void) {
    wasm_module *module = LOAD_WAT_GUEST("fib");
    if (!module) return;
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    wasm_instance *instance = INSTANTIATE(store, module, NULL, 0);
    wasm_func *fib = EXPORT_FUNC(instance, "fib");
    wasm_func *fib_loop = EXPORT_FUNC(instance, "fib_loop");

    static const uint32_t expected[] = {0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55};
    for (uint32_t n = 0; n < sizeof expected / sizeof expected[0]; n++) {
        wasm_slot arg = n;
        CHECK_EQ_INT(call_i32(store, fib, &arg), expected[n]);
        CHECK_EQ_INT(call_i32(store, fib_loop, &arg), expected[n]);
    }
    wasm_slot arg = 25;
    CHECK_EQ_INT(call_i32(store, fib, &arg), 75025); /* ~250 000 calls */
    arg = 47;
    CHECK_EQ_INT(call_i32(store, fib_loop, &arg), 2971215073u);
    arg = 48; /* wraps modulo 2^32 */
    CHECK_EQ_INT(call_i32(store, fib_loop, &arg), (uint32_t)4807526976ull);
    wasm_store_free(store);
    wasm_module_free(module);
}

static void test_clang_reactor_guest(void) {
    wasm_module *module = LOAD_C_GUEST("textlib");
    if (!module) return;
    /* Only malloc/free from libc: dlmalloc grows memory itself, no WASI. */
    CHECK_EQ_INT(wasm_module_import_count(module), 0);
    wasm_store *store = wasm_store_new(NULL);
    REQUIRE(store != NULL);
    wasm_instance *instance = INSTANTIATE(store, module, NULL, 0);

    /* A reactor must be initialised once before anything else. */
    EXPECT_OK(wasm_call(store, EXPORT_FUNC(instance, "_initialize"), NULL, NULL));

    wasm_slot two[2] = {slot_i32(40), slot_i32(2)};
    CHECK_EQ_INT(call_i32(store, EXPORT_FUNC(instance, "add"), two), 42);

    /* Copy a string into guest memory the way a host passes strings: the
     * guest allocates, the host writes, the guest reads and frees. */
    static const char text[] = "Hello WebAssembly, from isorun";
    const int32_t len = (int32_t)(sizeof text - 1);
    wasm_slot size = slot_i32(len);
    uint32_t ptr = call_i32(store, EXPORT_FUNC(instance, "alloc"), &size);
    REQUIRE(ptr != 0);
    wasm_memory *memory = wasm_instance_memory(instance);
    REQUIRE(memory != NULL);
    REQUIRE((uint64_t)ptr + (uint64_t)len <= wasm_memory_size_bytes(memory));
    memcpy(wasm_memory_data(memory) + ptr, text, (size_t)len);
    wasm_slot string_args[2] = {ptr, slot_i32(len)};
    CHECK_EQ_INT(call_i32(store, EXPORT_FUNC(instance, "count_vowels"), string_args), 9);
    wasm_slot release_arg = ptr;
    EXPECT_OK(wasm_call(store, EXPORT_FUNC(instance, "release"), &release_arg, NULL));

    /* Many allocations make dlmalloc grow the memory through memory.grow. */
    uint64_t before = wasm_memory_size_bytes(memory);
    wasm_slot big = slot_i32(1 << 20);
    for (int i = 0; i < 4; i++) CHECK(call_i32(store, EXPORT_FUNC(instance, "alloc"), &big) != 0);
    CHECK(wasm_memory_size_bytes(memory) >= before + (4u << 20));

    wasm_slot n = slot_i32(100000);
    wasm_slot sum = 0;
    EXPECT_OK(wasm_call(store, EXPORT_FUNC(instance, "sum_check"), &n, &sum));
    CHECK_EQ_INT((int64_t)sum, 5000050000LL);

    wasm_store_free(store);
    wasm_module_free(module);
}

int main(void) {
    RUN(test_fib_recursive_and_loop_agree);
    RUN(test_clang_reactor_guest);
    return engine_test_summary();
}
