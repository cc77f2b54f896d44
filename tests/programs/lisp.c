/*
 * lisp.c — a small Lisp interpreter, the second "program of real size" the
 * isorun tests run natively and as wasm32-wasi, comparing output byte for
 * byte (tests/programs).
 *
 *   lisp < program.lisp
 *
 * The language: 64-bit integers, strings, symbols, pairs, #t/#f and (); the
 * special forms quote ('x), if, cond, and, or, define, set!, lambda, let,
 * begin; proper tail calls (if, cond, begin, let and application bodies
 * loop instead of recursing); closures; a mark-and-sweep garbage collector
 * whose roots are the global environment, the symbol table and an explicit
 * stack of addresses of live C variables (every function that allocates
 * roots what it holds across the allocation).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct obj obj;
typedef obj *(*builtin_fn)(obj *args);

enum type { T_NIL, T_BOOL, T_NUM, T_STR, T_SYM, T_PAIR, T_CLOSURE, T_BUILTIN };

struct obj {
    uint8_t type;
    uint8_t mark;
    union {
        int64_t num;
        int boolean;
        char *str; /* T_STR and T_SYM: owned */
        struct {
            obj *car, *cdr;
        } pair;
        struct {
            obj *params, *body, *env;
        } closure;
        struct {
            builtin_fn fn;
            const char *name;
        } builtin;
        obj *next_free;
    } u;
};

static obj nil_obj = {T_NIL, 1, {0}}, true_obj = {T_BOOL, 1, {.boolean = 1}}, false_obj = {T_BOOL, 1, {0}};
#define NIL (&nil_obj)
#define TRUE (&true_obj)
#define FALSE (&false_obj)

static void fatal(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fflush(stdout);
    fprintf(stderr, "lisp: error: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

/* ---- the heap and the collector ------------------------------------------- */

#define CHUNK_OBJECTS 4096
#define MAX_ROOTS 200000

typedef struct chunk {
    struct chunk *next;
    obj objects[CHUNK_OBJECTS];
} chunk;

static chunk *chunks;
static obj *free_list;
static size_t live_after_gc, heap_objects, collections;
static obj **roots[MAX_ROOTS];
static int nroots;
static obj *symbols = NIL;    /* list of every interned symbol */
static obj *global_env = NIL; /* (bindings . parent) */

#define ROOT(v) (nroots < MAX_ROOTS ? (void)(roots[nroots++] = &(v)) : fatal("too many roots"))

static void mark(obj *o) {
    while (o && !o->mark) {
        o->mark = 1;
        switch (o->type) {
        case T_PAIR:
            mark(o->u.pair.car);
            o = o->u.pair.cdr; /* loop on the tail: long lists need no deep recursion */
            break;
        case T_CLOSURE:
            mark(o->u.closure.params);
            mark(o->u.closure.body);
            o = o->u.closure.env;
            break;
        default:
            return;
        }
    }
}

static void collect(void) {
    mark(symbols);
    mark(global_env);
    for (int i = 0; i < nroots; i++) mark(*roots[i]);
    free_list = NULL;
    live_after_gc = 0;
    for (chunk *c = chunks; c; c = c->next) {
        for (int i = CHUNK_OBJECTS - 1; i >= 0; i--) {
            obj *o = &c->objects[i];
            if (o->mark) {
                o->mark = 0;
                live_after_gc++;
                continue;
            }
            if (o->type == T_STR || o->type == T_SYM) free(o->u.str);
            o->type = T_NIL;
            o->u.next_free = free_list;
            free_list = o;
        }
    }
    collections++;
}

static void grow_heap(void) {
    chunk *c = calloc(1, sizeof *c);
    if (!c) fatal("out of memory");
    c->next = chunks;
    chunks = c;
    heap_objects += CHUNK_OBJECTS;
    for (int i = CHUNK_OBJECTS - 1; i >= 0; i--) {
        c->objects[i].u.next_free = free_list;
        free_list = &c->objects[i];
    }
}

/* A fresh object. May collect: callers must have rooted what they hold. */
static obj *alloc(enum type type) {
    if (!free_list) {
        collect();
        /* Keep the heap at most half full after a collection. */
        if (!free_list || live_after_gc * 2 > heap_objects) grow_heap();
    }
    obj *o = free_list;
    free_list = o->u.next_free;
    memset(o, 0, sizeof *o);
    o->type = (uint8_t)type;
    return o;
}

static obj *make_num(int64_t n) {
    obj *o = alloc(T_NUM);
    o->u.num = n;
    return o;
}

static obj *make_str(const char *s, size_t len, enum type type) {
    char *copy = malloc(len + 1);
    if (!copy) fatal("out of memory");
    memcpy(copy, s, len);
    copy[len] = '\0';
    obj *o = alloc(type);
    o->u.str = copy;
    return o;
}

static obj *cons(obj *car, obj *cdr) {
    ROOT(car);
    ROOT(cdr);
    obj *p = alloc(T_PAIR);
    nroots -= 2;
    p->u.pair.car = car;
    p->u.pair.cdr = cdr;
    return p;
}

static obj *intern(const char *name, size_t len) {
    for (obj *s = symbols; s != NIL; s = s->u.pair.cdr) {
        obj *sym = s->u.pair.car;
        if (strlen(sym->u.str) == len && memcmp(sym->u.str, name, len) == 0) return sym;
    }
    obj *sym = make_str(name, len, T_SYM);
    ROOT(sym);
    symbols = cons(sym, symbols);
    nroots--;
    return sym;
}

/* ---- accessors ------------------------------------------------------------ */

static const char *type_name(const obj *o) {
    static const char *const names[] = {"nil", "boolean", "number", "string", "symbol", "pair", "closure", "builtin"};
    return names[o->type];
}

static obj *car(obj *o) {
    if (o->type != T_PAIR) fatal("car of a %s", type_name(o));
    return o->u.pair.car;
}

static obj *cdr(obj *o) {
    if (o->type != T_PAIR) fatal("cdr of a %s", type_name(o));
    return o->u.pair.cdr;
}

static int64_t num(obj *o) {
    if (o->type != T_NUM) fatal("expected a number, got a %s", type_name(o));
    return o->u.num;
}

static int truthy(const obj *o) { return o != FALSE; }

/* ---- reading -------------------------------------------------------------- */

static const char *src;

static void skip_space(void) {
    for (;;) {
        while (*src == ' ' || *src == '\t' || *src == '\n' || *src == '\r') src++;
        if (*src != ';') return;
        while (*src && *src != '\n') src++;
    }
}

static obj *read_expr(void);

static obj *read_list(void) {
    obj *head = NIL, *tail = NIL, *item = NIL;
    ROOT(head);
    ROOT(tail);
    ROOT(item);
    for (;;) {
        skip_space();
        if (!*src) fatal("unexpected end of input in a list");
        if (*src == ')') {
            src++;
            break;
        }
        if (*src == '.' && (src[1] == ' ' || src[1] == '\n')) {
            src++;
            item = read_expr();
            if (tail == NIL) fatal("a dotted pair needs a head");
            tail->u.pair.cdr = item;
            skip_space();
            if (*src++ != ')') fatal("expected ) after a dotted tail");
            break;
        }
        item = read_expr();
        obj *cell = cons(item, NIL);
        if (tail == NIL)
            head = cell;
        else
            tail->u.pair.cdr = cell;
        tail = cell;
    }
    nroots -= 3;
    return head;
}

static obj *read_expr(void) {
    skip_space();
    char c = *src;
    if (!c) fatal("unexpected end of input");
    if (c == '(') {
        src++;
        return read_list();
    }
    if (c == ')') fatal("unexpected )");
    if (c == '\'') {
        src++;
        obj *quoted = read_expr();
        ROOT(quoted);
        obj *rest = cons(quoted, NIL);
        nroots--;
        return cons(intern("quote", 5), rest);
    }
    if (c == '"') {
        const char *start = ++src;
        while (*src && *src != '"') src++;
        if (!*src) fatal("unterminated string");
        obj *s = make_str(start, (size_t)(src - start), T_STR);
        src++;
        return s;
    }
    const char *start = src;
    while (*src && !strchr(" \t\r\n()';", *src)) src++;
    size_t len = (size_t)(src - start);
    if (len == 2 && start[0] == '#') {
        if (start[1] == 't') return TRUE;
        if (start[1] == 'f') return FALSE;
    }
    char *end;
    char buf[32];
    if (len < sizeof buf) {
        memcpy(buf, start, len);
        buf[len] = '\0';
        long long v = strtoll(buf, &end, 10);
        if (*end == '\0' && end != buf && !(len == 1 && (buf[0] == '-' || buf[0] == '+'))) return make_num(v);
    }
    return intern(start, len);
}

/* ---- printing ------------------------------------------------------------- */

static void print(FILE *out, const obj *o, int readable) {
    switch (o->type) {
    case T_NIL: fputs("()", out); break;
    case T_BOOL: fputs(o->u.boolean ? "#t" : "#f", out); break;
    case T_NUM: fprintf(out, "%lld", (long long)o->u.num); break;
    case T_STR: fprintf(out, readable ? "\"%s\"" : "%s", o->u.str); break;
    case T_SYM: fputs(o->u.str, out); break;
    case T_CLOSURE: fputs("#<closure>", out); break;
    case T_BUILTIN: fprintf(out, "#<builtin %s>", o->u.builtin.name); break;
    case T_PAIR:
        fputc('(', out);
        for (;;) {
            print(out, o->u.pair.car, readable);
            o = o->u.pair.cdr;
            if (o->type != T_PAIR) break;
            fputc(' ', out);
        }
        if (o != NIL) {
            fputs(" . ", out);
            print(out, o, readable);
        }
        fputc(')', out);
        break;
    }
}

/* ---- environments --------------------------------------------------------- */

/* An environment is (bindings . parent); bindings is a list of (sym . value). */
static obj *lookup_binding(obj *env, obj *sym) {
    for (; env != NIL; env = env->u.pair.cdr)
        for (obj *b = env->u.pair.car; b != NIL; b = b->u.pair.cdr)
            if (b->u.pair.car->u.pair.car == sym) return b->u.pair.car;
    return NULL;
}

static void define(obj *env, obj *sym, obj *value) {
    for (obj *b = env->u.pair.car; b != NIL; b = b->u.pair.cdr)
        if (b->u.pair.car->u.pair.car == sym) {
            b->u.pair.car->u.pair.cdr = value;
            return;
        }
    ROOT(env);
    obj *binding = cons(sym, value);
    env->u.pair.car = cons(binding, env->u.pair.car);
    nroots--;
}

/* A new frame below parent binding params to args (params may end in a
 * rest symbol: (a b . rest)). */
static obj *bind(obj *params, obj *args, obj *parent) {
    obj *frame = NIL;
    ROOT(params);
    ROOT(args);
    ROOT(frame);
    frame = cons(NIL, parent);
    for (; params->type == T_PAIR; params = params->u.pair.cdr, args = args->u.pair.cdr) {
        if (args == NIL) fatal("too few arguments");
        define(frame, params->u.pair.car, args->u.pair.car);
    }
    if (params != NIL)
        define(frame, params, args);
    else if (args != NIL)
        fatal("too many arguments");
    nroots -= 3;
    return frame;
}

/* ---- evaluation ----------------------------------------------------------- */

static obj *s_quote, *s_if, *s_define, *s_set, *s_lambda, *s_begin, *s_let, *s_cond, *s_else, *s_and, *s_or;
static size_t depth, max_depth;

static obj *eval(obj *x, obj *env);

static obj *eval_list(obj *list, obj *env) {
    obj *head = NIL, *tail = NIL, *value = NIL;
    int saved = nroots;
    ROOT(list);
    ROOT(env);
    ROOT(head);
    ROOT(tail);
    ROOT(value);
    for (; list != NIL; list = cdr(list)) {
        value = eval(car(list), env);
        obj *cell = cons(value, NIL);
        if (tail == NIL)
            head = cell;
        else
            tail->u.pair.cdr = cell;
        tail = cell;
    }
    nroots = saved;
    return head;
}

static obj *eval(obj *x, obj *env) {
    obj *f = NIL, *args = NIL, *value = NIL;
    int saved = nroots;
    ROOT(x);
    ROOT(env);
    ROOT(f);
    ROOT(args);
    ROOT(value);
    if (++depth > max_depth) max_depth = depth;
    if (depth > 100000) fatal("recursion too deep");
    for (;;) {
        if (x->type == T_SYM) {
            obj *b = lookup_binding(env, x);
            if (!b) fatal("unbound symbol %s", x->u.str);
            value = b->u.pair.cdr;
            break;
        }
        if (x->type != T_PAIR) {
            value = x;
            break;
        }
        obj *op = x->u.pair.car, *rest = x->u.pair.cdr;
        if (op == s_quote) {
            value = car(rest);
            break;
        }
        if (op == s_if) {
            value = eval(car(rest), env);
            obj *branches = cdr(rest);
            if (truthy(value))
                x = car(branches);
            else if (cdr(branches) != NIL)
                x = car(cdr(branches));
            else {
                value = NIL;
                break;
            }
            continue;
        }
        if (op == s_define) {
            obj *target = car(rest);
            if (target->type == T_PAIR) { /* (define (name . params) body...) */
                value = alloc(T_CLOSURE);
                value->u.closure.params = cdr(target);
                value->u.closure.body = cdr(rest);
                value->u.closure.env = env;
                define(env, car(target), value);
                value = car(target);
            } else {
                value = eval(car(cdr(rest)), env);
                define(env, target, value);
                value = target;
            }
            break;
        }
        if (op == s_set) {
            obj *b = lookup_binding(env, car(rest));
            if (!b) fatal("set! of unbound symbol %s", car(rest)->u.str);
            value = eval(car(cdr(rest)), env);
            b = lookup_binding(env, car(rest)); /* the same binding: eval cannot remove bindings */
            b->u.pair.cdr = value;
            break;
        }
        if (op == s_lambda) {
            value = alloc(T_CLOSURE);
            value->u.closure.params = car(rest);
            value->u.closure.body = cdr(rest);
            value->u.closure.env = env;
            break;
        }
        if (op == s_let) { /* (let ((name expr)...) body...) */
            f = NIL; /* names */
            args = NIL;
            for (obj *b = car(rest); b != NIL; b = cdr(b)) {
                f = cons(car(car(b)), f);
                value = eval(car(cdr(car(b))), env);
                args = cons(value, args);
            }
            env = bind(f, args, env);
            rest = cdr(x->u.pair.cdr);
            op = s_begin; /* the body is a sequence */
        }
        if (op == s_begin) {
            if (rest == NIL) {
                value = NIL;
                break;
            }
            for (; cdr(rest) != NIL; rest = cdr(rest)) eval(car(rest), env);
            x = car(rest);
            continue;
        }
        if (op == s_cond) {
            obj *clause = rest;
            for (; clause != NIL; clause = cdr(clause)) {
                obj *test = car(car(clause));
                if (test == s_else) break;
                value = eval(test, env);
                if (truthy(value)) break;
            }
            if (clause == NIL) {
                value = NIL;
                break;
            }
            obj *body = cdr(car(clause));
            if (body == NIL) break; /* (cond (test)) gives the test's value */
            for (; cdr(body) != NIL; body = cdr(body)) eval(car(body), env);
            x = car(body);
            continue;
        }
        if (op == s_and || op == s_or) {
            value = op == s_and ? TRUE : FALSE;
            if (rest == NIL) break;
            for (; cdr(rest) != NIL; rest = cdr(rest)) {
                value = eval(car(rest), env);
                if (truthy(value) != (op == s_and)) goto done;
            }
            x = car(rest);
            continue;
        }
        /* An application. */
        f = eval(op, env);
        args = eval_list(rest, env);
        if (f->type == T_BUILTIN) {
            value = f->u.builtin.fn(args);
            break;
        }
        if (f->type != T_CLOSURE) fatal("cannot apply a %s", type_name(f));
        env = bind(f->u.closure.params, args, f->u.closure.env);
        obj *body = f->u.closure.body;
        if (body == NIL) {
            value = NIL;
            break;
        }
        for (; cdr(body) != NIL; body = cdr(body)) eval(car(body), env);
        x = car(body);
    }
done:
    depth--;
    nroots = saved;
    return value;
}

/* ---- builtins ------------------------------------------------------------- */

static obj *arith(obj *args, char op) {
    if (args == NIL) return make_num(op == '*' ? 1 : 0);
    int64_t acc = num(car(args));
    if (cdr(args) == NIL && op == '-') return make_num(-acc);
    for (args = cdr(args); args != NIL; args = cdr(args)) {
        int64_t v = num(car(args));
        switch (op) {
        case '+': acc = (int64_t)((uint64_t)acc + (uint64_t)v); break;
        case '-': acc = (int64_t)((uint64_t)acc - (uint64_t)v); break;
        case '*': acc = (int64_t)((uint64_t)acc * (uint64_t)v); break;
        case '/':
            if (v == 0) fatal("division by zero");
            acc = (acc == INT64_MIN && v == -1) ? acc : acc / v;
            break;
        default:
            if (v == 0) fatal("modulo by zero");
            acc = (acc == INT64_MIN && v == -1) ? 0 : acc % v;
            break;
        }
    }
    return make_num(acc);
}

static obj *b_add(obj *a) { return arith(a, '+'); }
static obj *b_sub(obj *a) { return arith(a, '-'); }
static obj *b_mul(obj *a) { return arith(a, '*'); }
static obj *b_div(obj *a) { return arith(a, '/'); }
static obj *b_mod(obj *a) { return arith(a, '%'); }

static obj *compare(obj *args, int (*ok)(int64_t, int64_t)) {
    for (; args != NIL && cdr(args) != NIL; args = cdr(args))
        if (!ok(num(car(args)), num(car(cdr(args))))) return FALSE;
    return TRUE;
}

static int lt(int64_t a, int64_t b) { return a < b; }
static int gt(int64_t a, int64_t b) { return a > b; }
static int le(int64_t a, int64_t b) { return a <= b; }
static int ge(int64_t a, int64_t b) { return a >= b; }
static int eq(int64_t a, int64_t b) { return a == b; }
static obj *b_lt(obj *a) { return compare(a, lt); }
static obj *b_gt(obj *a) { return compare(a, gt); }
static obj *b_le(obj *a) { return compare(a, le); }
static obj *b_ge(obj *a) { return compare(a, ge); }
static obj *b_numeq(obj *a) { return compare(a, eq); }

static obj *b_cons(obj *a) { return cons(car(a), car(cdr(a))); }
static obj *b_car(obj *a) { return car(car(a)); }
static obj *b_cdr(obj *a) { return cdr(car(a)); }
static obj *b_list(obj *a) { return a; }
static obj *b_nullp(obj *a) { return car(a) == NIL ? TRUE : FALSE; }
static obj *b_pairp(obj *a) { return car(a)->type == T_PAIR ? TRUE : FALSE; }
static obj *b_not(obj *a) { return car(a) == FALSE ? TRUE : FALSE; }

static int equal(const obj *a, const obj *b) {
    for (;;) {
        if (a == b) return 1;
        if (a->type != b->type) return 0;
        switch (a->type) {
        case T_NUM: return a->u.num == b->u.num;
        case T_STR: return strcmp(a->u.str, b->u.str) == 0;
        case T_PAIR:
            if (!equal(a->u.pair.car, b->u.pair.car)) return 0;
            a = a->u.pair.cdr;
            b = b->u.pair.cdr;
            break;
        default: return 0;
        }
    }
}

static obj *b_eqp(obj *a) {
    obj *x = car(a), *y = car(cdr(a));
    return x == y || (x->type == T_NUM && y->type == T_NUM && x->u.num == y->u.num) ? TRUE : FALSE;
}
static obj *b_equalp(obj *a) { return equal(car(a), car(cdr(a))) ? TRUE : FALSE; }

static obj *b_display(obj *a) {
    print(stdout, car(a), 0);
    return NIL;
}
static obj *b_write(obj *a) {
    print(stdout, car(a), 1);
    return NIL;
}
static obj *b_newline(obj *a) {
    (void)a;
    putchar('\n');
    return NIL;
}

static obj *b_length(obj *a) {
    int64_t n = 0;
    for (obj *l = car(a); l != NIL; l = cdr(l)) n++;
    return make_num(n);
}

static obj *b_reverse(obj *a) {
    obj *out = NIL, *l = car(a);
    ROOT(out);
    ROOT(l);
    for (; l != NIL; l = cdr(l)) out = cons(car(l), out);
    nroots -= 2;
    return out;
}

static obj *b_gc_stats(obj *a) {
    (void)a;
    /* Counts that depend on the allocator's layout are host-independent
     * here: every object is one fixed-size cell in both builds. */
    return make_num((int64_t)collections);
}

static void define_builtin(const char *name, builtin_fn fn) {
    obj *b = alloc(T_BUILTIN);
    b->u.builtin.fn = fn;
    b->u.builtin.name = name;
    ROOT(b);
    define(global_env, intern(name, strlen(name)), b);
    nroots--;
}

static void init(void) {
    global_env = cons(NIL, NIL);
    s_quote = intern("quote", 5);
    s_if = intern("if", 2);
    s_define = intern("define", 6);
    s_set = intern("set!", 4);
    s_lambda = intern("lambda", 6);
    s_begin = intern("begin", 5);
    s_let = intern("let", 3);
    s_cond = intern("cond", 4);
    s_else = intern("else", 4);
    s_and = intern("and", 3);
    s_or = intern("or", 2);
    static const struct {
        const char *name;
        builtin_fn fn;
    } builtins[] = {{"+", b_add},         {"-", b_sub},          {"*", b_mul},         {"quotient", b_div},
                    {"modulo", b_mod},    {"<", b_lt},           {">", b_gt},          {"<=", b_le},
                    {">=", b_ge},         {"=", b_numeq},        {"cons", b_cons},     {"car", b_car},
                    {"cdr", b_cdr},       {"list", b_list},      {"null?", b_nullp},   {"pair?", b_pairp},
                    {"not", b_not},       {"eq?", b_eqp},        {"equal?", b_equalp}, {"display", b_display},
                    {"write", b_write},   {"newline", b_newline}, {"length", b_length}, {"reverse", b_reverse},
                    {"gc-count", b_gc_stats}};
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) define_builtin(builtins[i].name, builtins[i].fn);
}

/* ---- main ----------------------------------------------------------------- */

static char *read_stdin(void) {
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0;) {
        len += n;
        if (cap - len < 2) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) free(buf);
            buf = grown;
        }
    }
    if (!buf) fatal("out of memory reading the program");
    buf[len] = '\0';
    return buf;
}

int main(void) {
    char *program = read_stdin();
    init();
    src = program;
    obj *expr = NIL;
    ROOT(expr);
    int count = 0;
    for (;;) {
        skip_space();
        if (!*src) break;
        expr = read_expr();
        eval(expr, global_env);
        count++;
    }
    nroots--;
    printf(";; %d top-level forms, deepest evaluation %zu\n", count, max_depth);
    free(program);
    return 0;
}
