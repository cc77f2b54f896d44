/*
 * test_nats_loading.c — isorun loads libnats on the first use of a nats://
 * address, not at start-up (src/transport/natslib.c), and a library that
 * cannot be loaded is an error that names it and says how to install it.
 *
 *   test_nats_loading lazy     nothing of libnats (nor libssl, libcrypto,
 *                              libprotobuf-c, which it pulls in) is mapped
 *                              before the first nats:// dial, also after
 *                              other transports were used; after it, libnats
 *                              is mapped and the dial's error is libnats' own
 *   test_nats_loading missing  ISORUN_LIBNATS names a file that does not
 *                              exist: dialing and listening fail with
 *                              ISORUN_ERR_IO naming it and the package, every
 *                              time, and nothing gets mapped
 *
 * Two modes, two processes: a process loads libnats once, for good. Built
 * with ISORUN_NATS=OFF, both report themselves skipped (77).
 */
#include "isorun.h"
#include "../unit/check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The libraries that used to be loaded at every start-up. */
static const char *const nats_libraries[] = {"/libnats.so", "/libssl.so", "/libcrypto.so", "/libprotobuf-c.so"};
#define NATS_LIBRARY_COUNT (sizeof nats_libraries / sizeof nats_libraries[0])

/* Whether a file whose path contains `name` is mapped into this process. */
static bool mapped(const char *name) {
    FILE *f = fopen("/proc/self/maps", "r");
    REQUIRE(f);
    char line[4096];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) found = strstr(line, name) != NULL;
    fclose(f);
    return found;
}

static void check_none_mapped(const char *when) {
    for (size_t i = 0; i < NATS_LIBRARY_COUNT; i++) {
        bool is_mapped = mapped(nats_libraries[i]);
        CHECK(!is_mapped);
        if (is_mapped) fprintf(stderr, "    %s is mapped %s\n", nats_libraries[i], when);
    }
}

/* A built-in transport without NATS says so; then there is nothing to test. */
static void skip_without_nats(const isorun_error *err) {
    if (err && strstr(isorun_error_message(err), "no NATS support")) {
        printf("skipped: built with ISORUN_NATS=OFF\n");
        exit(77);
    }
}

/* "nats://127.0.0.1:PORT" where PORT is bound but not listening: connecting
 * is refused at once, on any machine (the socket stays open until exit). */
static void refusing_url(char *out, size_t size) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    REQUIRE(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
    REQUIRE(getsockname(fd, (struct sockaddr *)&a, &len) == 0);
    snprintf(out, size, "nats://127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
}

static void test_loaded_on_first_use(void) {
    check_none_mapped("at start-up");

    /* Other transports do not need it. */
    isorun_listener *l = NULL;
    isorun_error *err = isorun_listen("tcp://127.0.0.1:0", NULL, &l);
    CHECK(!err);
    isorun_error_free(err);
    if (l) {
        isorun_transport *t = NULL;
        err = isorun_transport_dial(isorun_listener_url(l), NULL, &t);
        CHECK(!err);
        isorun_error_free(err);
        if (t) isorun_transport_free(t);
        isorun_listener_free(l);
    }
    check_none_mapped("after a TCP dial");

    char url[64];
    refusing_url(url, sizeof url);
    isorun_transport *t = NULL;
    err = isorun_transport_dial(url, NULL, &t);
    skip_without_nats(err);
    /* Refused by the peer, as libnats reports it: the library ran. */
    CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
    CHECK_STR_CONTAINS(isorun_error_message(err), "cannot connect to NATS");
    isorun_error_free(err);
    if (t) isorun_transport_free(t);
    CHECK(mapped("/libnats.so"));
}

static void test_missing_library(void) {
    static const char path[] = "/nonexistent/isorun-test/libnats.so.3";
    REQUIRE(setenv("ISORUN_LIBNATS", path, 1) == 0);
    char url[64];
    refusing_url(url, sizeof url);
    for (int attempt = 0; attempt < 2; attempt++) {
        isorun_transport *t = NULL;
        isorun_error *err = isorun_transport_dial(url, NULL, &t);
        skip_without_nats(err);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
        CHECK_STR_CONTAINS(isorun_error_message(err), path);
        CHECK_STR_CONTAINS(isorun_error_message(err), "ISORUN_LIBNATS");
        CHECK_STR_CONTAINS(isorun_error_message(err), "apt-get install libnats");
        isorun_error_free(err);

        isorun_listener *l = NULL;
        err = isorun_listen(url, NULL, &l);
        CHECK_EQ_INT(isorun_error_code_of(err), ISORUN_ERR_IO);
        CHECK_STR_CONTAINS(isorun_error_message(err), path);
        CHECK_STR_CONTAINS(isorun_error_message(err), "apt-get install libnats");
        isorun_error_free(err);
    }
    check_none_mapped("after a failed load");
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "lazy") == 0) {
        /* The default library, whatever the caller's environment says. */
        unsetenv("ISORUN_LIBNATS");
        RUN(test_loaded_on_first_use);
    } else if (strcmp(mode, "missing") == 0) {
        RUN(test_missing_library);
    } else {
        fprintf(stderr, "usage: test_nats_loading lazy|missing\n");
        return 2;
    }
    return check_summary();
}
