/* units.c — counts, sizes and durations as typed on the command line. */
#include "units.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool units_parse_count(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    /* Plain digits go through strtoull so that counts above 2^53 stay
     * exact; anything with an exponent or a point goes through strtod and
     * must still denote an integer. */
    if (s[0] >= '0' && s[0] <= '9' && !strpbrk(s, "eE.")) {
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || *end) return false;
        *out = v;
        return true;
    }
    if (!(s[0] >= '0' && s[0] <= '9')) return false; /* no sign, no "inf" */
    double d = strtod(s, &end);
    if (errno || *end || !(d >= 0) || d >= 18446744073709551616.0 || d != floor(d)) return false;
    *out = (uint64_t)d;
    return true;
}

bool units_parse_size(const char *s, uint64_t *out) {
    if (!(s[0] >= '0' && s[0] <= '9')) return false; /* strtoull would take "-1" */
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno) return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: break;
    }
    if (shift && *end == 'i') end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end || v > (UINT64_MAX >> shift)) return false;
    *out = (uint64_t)v << shift;
    return true;
}

bool units_parse_duration(const char *s, uint64_t *ns) {
    static const struct {
        const char *suffix;
        double scale;
    } units[] = {{"ns", 1}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}, {"", 1e9}};
    if (!((s[0] >= '0' && s[0] <= '9') || s[0] == '.')) return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || !(v > 0)) return false;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(end, units[i].suffix) != 0) continue;
        double total = v * units[i].scale;
        if (total >= 1.8e19) return false;
        *ns = total < 1 ? 1 : (uint64_t)total;
        return true;
    }
    return false;
}
