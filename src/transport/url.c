/* url.c — the transport addresses isorun understands:
 *   tcp://HOST:PORT     (HOST a name, an IPv4 address or [an IPv6 address])
 *   unix:///ABSOLUTE/PATH
 *   nats://HOST:PORT */
#include "transport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static isorun_error *bad(const char *url, const char *why) {
    return isr_error(ISORUN_ERR_ARGUMENT,
                     "bad transport address \"%s\": %s (expected tcp://HOST:PORT, unix:///PATH or nats://HOST:PORT)",
                     url, why);
}

/* HOST:PORT into out (brackets around an IPv6 host removed). */
static isorun_error *host_port(const char *url, const char *s, size_t n, tp_url *out) {
    const char *colon = NULL;
    if (n && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        if (!close || (size_t)(close - s) + 1 >= n || close[1] != ':') return bad(url, "expected [IPV6]:PORT");
        if ((size_t)(close - s - 1) >= sizeof out->host) return bad(url, "host name too long");
        memcpy(out->host, s + 1, (size_t)(close - s - 1));
        out->host[close - s - 1] = 0;
        colon = close + 1;
    } else {
        for (size_t i = n; i-- > 0;)
            if (s[i] == ':') {
                colon = s + i;
                break;
            }
        if (!colon || colon == s) return bad(url, "expected HOST:PORT");
        if ((size_t)(colon - s) >= sizeof out->host) return bad(url, "host name too long");
        memcpy(out->host, s, (size_t)(colon - s));
        out->host[colon - s] = 0;
    }
    size_t plen = n - (size_t)(colon + 1 - s);
    if (plen == 0 || plen >= sizeof out->port) return bad(url, "expected a port number after ':'");
    memcpy(out->port, colon + 1, plen);
    out->port[plen] = 0;
    char *end;
    long port = strtol(out->port, &end, 10);
    if (*end || port < 0 || port > 65535) return bad(url, "the port must be a number from 0 to 65535");
    return NULL;
}

isorun_error *tp_url_parse(const char *url, tp_url *out) {
    memset(out, 0, sizeof *out);
    if (!url) return isr_error(ISORUN_ERR_ARGUMENT, "no transport address given");
    size_t n = strlen(url);
    if (strncmp(url, "tcp://", 6) == 0 || strncmp(url, "nats://", 7) == 0) {
        bool tcp = url[0] == 't';
        out->scheme = tcp ? TP_URL_TCP : TP_URL_NATS;
        size_t skip = tcp ? 6 : 7;
        return host_port(url, url + skip, n - skip, out);
    }
    if (strncmp(url, "unix://", 7) == 0) {
        out->scheme = TP_URL_UNIX;
        const char *path = url + 7;
        if (path[0] != '/') return bad(url, "a Unix socket path must be absolute (unix:///path)");
        if (strlen(path) >= sizeof out->path)
            return bad(url, "a Unix socket path must be shorter than 108 bytes");
        strcpy(out->path, path);
        return NULL;
    }
    return bad(url, "unknown scheme");
}
