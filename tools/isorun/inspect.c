/* inspect.c — `isorun inspect [--json] FILE.wasm`: what a module asks for
 * before anyone runs it. Its kind (command, reactor, library), every import
 * with what would satisfy it — a WASI function isorun provides, and the
 * --allow it needs; a link; nothing — and every export. The module is
 * decoded and validated (an invalid module is an error, as for run), never
 * instantiated, so inspecting runs none of its code. */
#include "inspect.h"

#include "capabilities.h"
#include "cli.h"
#include "module_info.h"

#include "isorun.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define WASI_MODULE "wasi_snapshot_preview1"

static void print_help(void) {
    printf("usage: isorun inspect [--json] FILE.wasm\n"
           "\n"
           "Says what a module asks for, without running any of it: whether it is a\n"
           "command (exports _start, for isorun run), a reactor (exports _initialize)\n"
           "or a library; each import, and what would satisfy it: a WASI preview 1\n"
           "function isorun provides (with the --allow it needs to do anything), a\n"
           "--link to another module, or nothing isorun has; and each export, with\n"
           "its type.\n"
           "\n"
           "  --json      one JSON object instead of text, for tools\n"
           "  -h, --help  this text\n"
           "\n"
           "exit status: 0, or %d when the file cannot be read or is not a valid module.\n",
           CLI_EXIT_ERROR);
}

static const char *kind_name(isorun_extern_kind k) {
    switch (k) {
    case ISORUN_EXTERN_TABLE: return "table";
    case ISORUN_EXTERN_MEMORY: return "memory";
    case ISORUN_EXTERN_GLOBAL: return "global";
    default: return "function";
    }
}

/* A function's type as "i32 i32 -> i32" (functype_describe without its
 * parentheses, i.e. as isorun_wasi_function writes signatures). */
static void type_text(const isorun_functype *t, char *buf, size_t size) {
    char with_parens[512];
    functype_describe(t, with_parens, sizeof with_parens);
    size_t n = strlen(with_parens);
    if (n >= 2 && with_parens[0] == '(' && with_parens[n - 1] == ')') {
        with_parens[n - 1] = '\0';
        snprintf(buf, size, "%s", with_parens + 1);
    } else {
        snprintf(buf, size, "%s", with_parens);
    }
}

/* "memory, 2 pages (128 KiB) growing to 16 pages (1 MiB)" / "table, 4
 * elements, no maximum": a memory's or table's declared limits. */
static void limits_text(const isorun_item_info *info, char *buf, size_t size) {
    if (info->kind == ISORUN_EXTERN_MEMORY) {
        char max[96] = "no maximum (a budget's --max-memory caps it)";
        if (info->has_max)
            snprintf(max, sizeof max, "growing to %u pages (%llu KiB) at most", info->max,
                     (unsigned long long)info->max * 64);
        snprintf(buf, size, "memory, %u pages (%llu KiB), %s", info->min, (unsigned long long)info->min * 64, max);
    } else if (info->kind == ISORUN_EXTERN_TABLE) {
        char max[64] = "no maximum";
        if (info->has_max) snprintf(max, sizeof max, "growing to %u at most", info->max);
        snprintf(buf, size, "table, %u elements, %s", info->min, max);
    } else {
        snprintf(buf, size, "%s", kind_name(info->kind));
    }
}

/* How an import would be satisfied under `isorun run`. */
typedef enum {
    BY_WASI,         /* a WASI function isorun provides, of the right type */
    BY_WASI_GRANTED, /* the same, doing something only with --allow CAP */
    WASI_WRONG_TYPE, /* a WASI name isorun provides, declared with another type */
    WASI_UNKNOWN,    /* not a preview 1 function isorun provides */
    BY_LINK,         /* a function another module must provide (--link) */
    NOT_LINKABLE,    /* a table, memory or global: nothing can provide it */
} provision;

typedef struct import_view {
    isorun_item_info info;
    char type[512];
    provision how;
    const char *signature;        /* WASI's, for WASI names isorun provides */
    const cli_capability *needs;  /* BY_WASI_GRANTED */
} import_view;

static void view_import(const isorun_item_info *info, import_view *v) {
    memset(v, 0, sizeof *v);
    v->info = *info;
    if (info->kind == ISORUN_EXTERN_FUNC) type_text(&info->type, v->type, sizeof v->type);
    if (info->kind != ISORUN_EXTERN_FUNC) {
        v->how = NOT_LINKABLE;
        return;
    }
    if (strcmp(info->module, WASI_MODULE) != 0) {
        v->how = BY_LINK;
        return;
    }
    unsigned grant = 0;
    v->signature = isorun_wasi_function(info->name, &grant);
    if (!v->signature) {
        v->how = WASI_UNKNOWN;
    } else if (strcmp(v->signature, v->type) != 0) {
        v->how = WASI_WRONG_TYPE;
    } else if (grant) {
        v->how = BY_WASI_GRANTED;
        v->needs = cli_capability_of_grant(grant);
    } else {
        v->how = BY_WASI;
    }
}

static const char *module_kind(const isorun_module *m) {
    if (module_function_export(m, "_start", NULL)) return "command";
    if (module_function_export(m, "_initialize", NULL)) return "reactor";
    return "library";
}

/* ---- text ------------------------------------------------------------------ */

static void print_text(const char *file, long long size, const isorun_module *m) {
    const char *kind = module_kind(m);
    cli_put_text(stdout, file);
    printf(": %s module, %lld bytes", kind, size);
    if (strcmp(kind, "command") == 0) printf(" (isorun run runs its _start)\n");
    else if (strcmp(kind, "reactor") == 0) printf(" (isorun run --invoke calls an export after _initialize)\n");
    else printf(" (isorun run --invoke calls an export)\n");

    size_t nimports = isorun_module_import_count(m);
    printf("\nimports (%zu):\n", nimports);
    if (!nimports) printf("  none: it can touch nothing outside itself\n");
    /* Grouped by module, in the order modules first appear. */
    for (size_t i = 0; i < nimports; i++) {
        isorun_item_info first;
        isorun_module_import(m, i, &first);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            isorun_item_info earlier;
            isorun_module_import(m, j, &earlier);
            seen = strcmp(earlier.module, first.module) == 0;
        }
        if (seen) continue;
        bool wasi = strcmp(first.module, WASI_MODULE) == 0;
        char module[256];
        cli_escape_text(first.module, module, sizeof module);
        if (wasi)
            printf("  %s (WASI preview 1: stdio and the --dir mounts; nothing else without --allow)\n", module);
        else
            printf("  %s (isorun run needs --link %s=FILE.wasm or ADDRESS/ID)\n", module, module);
        for (size_t j = i; j < nimports; j++) {
            isorun_item_info info;
            isorun_module_import(m, j, &info);
            if (strcmp(info.module, first.module) != 0) continue;
            import_view v;
            view_import(&info, &v);
            char name[256];
            cli_escape_text(info.name, name, sizeof name);
            switch (v.how) {
            case BY_WASI: printf("    %-24s %s\n", name, v.type); break;
            case BY_WASI_GRANTED:
                printf("    %-24s %-28s returns ENOTCAPABLE (76) without --allow %s\n", name, v.type,
                       v.needs ? v.needs->name : "?");
                break;
            case WASI_WRONG_TYPE:
                printf("    %-24s %-28s wrong type: WASI's is (%s); the module cannot be instantiated\n", name,
                       v.type, v.signature);
                break;
            case WASI_UNKNOWN:
                printf("    %-24s %-28s not a WASI preview 1 function isorun provides; the module cannot be "
                       "instantiated\n",
                       name, v.type);
                break;
            case BY_LINK: printf("    %-24s %s\n", name, v.type); break;
            case NOT_LINKABLE: {
                char what[160];
                limits_text(&info, what, sizeof what);
                printf("    %-24s %s; only functions can be imported under isorun: the module cannot be "
                       "instantiated\n",
                       name, what);
                break;
            }
            }
        }
    }

    size_t nexports = isorun_module_export_count(m);
    printf("\nexports (%zu):\n", nexports);
    for (size_t i = 0; i < nexports; i++) {
        isorun_item_info info;
        isorun_module_export(m, i, &info);
        char type[512] = "";
        if (info.kind == ISORUN_EXTERN_FUNC) type_text(&info.type, type, sizeof type);
        else limits_text(&info, type, sizeof type);
        char name[256];
        cli_escape_text(info.name, name, sizeof name);
        printf("  %-26s %s\n", name, type);
    }
}

/* ---- JSON ------------------------------------------------------------------ */

/* s as a JSON string: names are UTF-8 (the decoder checks), so only quotes,
 * backslashes and control characters need escapes. */
static void json_string(const char *s) {
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') printf("\\%c", *p);
        else if (*p < 0x20) printf("\\u%04x", *p);
        else putchar(*p);
    }
    putchar('"');
}

/* ,"min":N,"max":N|null for memories (pages) and tables (elements). */
static void json_limits(const isorun_item_info *info) {
    if (info->kind != ISORUN_EXTERN_MEMORY && info->kind != ISORUN_EXTERN_TABLE) return;
    printf(",\"min\":%u,\"max\":", info->min);
    if (info->has_max) printf("%u", info->max);
    else printf("null");
}

static const char *provision_name(provision how) {
    switch (how) {
    case BY_WASI: return "wasi";
    case BY_WASI_GRANTED: return "wasi";
    case WASI_WRONG_TYPE: return "wasi-wrong-type";
    case WASI_UNKNOWN: return "wasi-unknown";
    case BY_LINK: return "link";
    default: return "none";
    }
}

static void print_json(const char *file, long long size, const isorun_module *m) {
    printf("{\"file\":");
    json_string(file);
    printf(",\"bytes\":%lld,\"kind\":\"%s\",\"imports\":[", size, module_kind(m));
    for (size_t i = 0; i < isorun_module_import_count(m); i++) {
        isorun_item_info info;
        isorun_module_import(m, i, &info);
        import_view v;
        view_import(&info, &v);
        printf("%s{\"module\":", i ? "," : "");
        json_string(info.module);
        printf(",\"name\":");
        json_string(info.name);
        printf(",\"kind\":\"%s\"", kind_name(info.kind));
        if (info.kind == ISORUN_EXTERN_FUNC) {
            printf(",\"type\":");
            json_string(v.type);
        }
        printf(",\"provided_by\":\"%s\"", provision_name(v.how));
        if (v.how == BY_WASI_GRANTED && v.needs) printf(",\"needs_allow\":\"%s\"", v.needs->name);
        if (v.how == WASI_WRONG_TYPE) {
            printf(",\"wasi_type\":");
            json_string(v.signature);
        }
        json_limits(&info);
        printf(",\"instantiable\":%s}",
               v.how == WASI_WRONG_TYPE || v.how == WASI_UNKNOWN || v.how == NOT_LINKABLE ? "false" : "true");
    }
    printf("],\"exports\":[");
    for (size_t i = 0; i < isorun_module_export_count(m); i++) {
        isorun_item_info info;
        isorun_module_export(m, i, &info);
        printf("%s{\"name\":", i ? "," : "");
        json_string(info.name);
        printf(",\"kind\":\"%s\"", kind_name(info.kind));
        if (info.kind == ISORUN_EXTERN_FUNC) {
            char type[512];
            type_text(&info.type, type, sizeof type);
            printf(",\"type\":");
            json_string(type);
        }
        json_limits(&info);
        printf("}");
    }
    printf("]}\n");
}

int inspect_command(int argc, char **argv) {
    bool json = false;
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            print_help();
            return 0;
        }
        if (strcmp(argv[i], "--json") == 0) json = true;
        else if (argv[i][0] == '-' && argv[i][1]) return cli_error("inspect: unknown option %s (see isorun inspect --help)", argv[i]);
        else if (file) return cli_error("inspect: one FILE.wasm at a time (also got %s)", argv[i]);
        else file = argv[i];
    }
    if (!file) return cli_error("inspect: no FILE.wasm given (see isorun inspect --help)");
    struct stat sb;
    long long size = stat(file, &sb) == 0 ? (long long)sb.st_size : 0;
    isorun_runtime *rt = NULL;
    isorun_module *m = NULL;
    isorun_error *err = isorun_runtime_new(NULL, &rt);
    if (!err) err = isorun_module_load_file(rt, file, &m);
    int status = 0;
    if (err) {
        status = cli_error("%s", isorun_error_message(err));
        isorun_error_free(err);
    } else if (json) {
        print_json(file, size, m);
    } else {
        print_text(file, size, m);
    }
    isorun_module_free(m);
    isorun_runtime_free(rt);
    return status;
}
