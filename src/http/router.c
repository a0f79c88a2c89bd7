/*
 * router.c — route patterns: checking a table, matching a path, decoding its parameters.
 *
 * A pattern is split into segments once per use (patterns are short and the table is small; a
 * table of 100 routes matches in about a microsecond). Matching is in two steps: the shape first
 * (literals compared, parameters only required to be non-empty), which picks the most specific
 * route without decoding anything; then the chosen route's parameters are decoded.
 */
#include "http/router.h"

#include <string.h>

#include "http/text.h"

#include "banned.h"

/* Segment kinds, ordered by specificity. */
enum seg_kind { SEG_TAIL = 0, SEG_PARAM = 1, SEG_LITERAL = 2 };

struct seg {
    enum seg_kind kind;
    const char *s; /* literal text, or the parameter's name */
    size_t len;
};

/* Byte offset and length of a path segment that a pattern segment matched. */
struct span {
    size_t off;
    size_t len;
};

static const struct {
    enum jy_http_method method;
    const char *name;
} method_names[] = {
    {JY_HTTP_GET, "GET"},         {JY_HTTP_HEAD, "HEAD"},   {JY_HTTP_POST, "POST"},
    {JY_HTTP_PUT, "PUT"},         {JY_HTTP_PATCH, "PATCH"}, {JY_HTTP_DELETE, "DELETE"},
    {JY_HTTP_OPTIONS, "OPTIONS"},
};
#define N_METHODS (sizeof(method_names) / sizeof(method_names[0]))

enum jy_http_method jy_http_method_parse(const char *s)
{
    if (!s)
        return JY_HTTP_OTHER;
    for (size_t i = 0; i < N_METHODS; i++)
        if (strcmp(s, method_names[i].name) == 0)
            return method_names[i].method;
    return JY_HTTP_OTHER;
}

const char *jy_http_method_name(enum jy_http_method m)
{
    for (size_t i = 0; i < N_METHODS; i++)
        if (method_names[i].method == m)
            return method_names[i].name;
    return "OTHER";
}

bool jy_http_method_changes_state(enum jy_http_method m)
{
    return m == JY_HTTP_POST || m == JY_HTTP_PUT || m == JY_HTTP_PATCH || m == JY_HTTP_DELETE;
}

size_t jy_http_allow_format(unsigned allowed, char *buf, size_t size)
{
    size_t n = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_METHODS; i++) {
        if (!(allowed & method_names[i].method))
            continue;
        const char *sep = n ? ", " : "";
        size_t need = strlen(sep) + strlen(method_names[i].name);
        if (n + need >= size)
            break;
        memcpy(buf + n, sep, strlen(sep));
        memcpy(buf + n + strlen(sep), method_names[i].name, strlen(method_names[i].name));
        n += need;
        buf[n] = '\0';
    }
    return n;
}

/* ---- patterns ---- */

static bool is_name_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* RFC 3986 pchar without '%' (a literal never needs decoding) and without braces. */
static bool is_literal_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~!$&'()*+,;=:@", c) != NULL);
}

/* Split `pattern` into `segs`. Returns false, with a reason in `*why`, when it is malformed. */
static bool split_pattern(const char *pattern, struct seg segs[JY_HTTP_PATH_MAX_SEGMENTS],
                          size_t *ret_n, const char **why)
{
    size_t len = strlen(pattern);
    if (len == 0 || pattern[0] != '/') {
        *why = "must start with '/'";
        return false;
    }
    if (len > JY_ROUTE_PATTERN_MAX) {
        *why = "is too long";
        return false;
    }
    size_t n = 0, pos = 1, n_params = 0;
    for (;;) {
        size_t end = pos;
        while (end < len && pattern[end] != '/')
            end++;
        if (n == JY_HTTP_PATH_MAX_SEGMENTS) {
            *why = "has too many segments";
            return false;
        }
        const char *s = pattern + pos;
        size_t slen = end - pos;
        if (slen >= 2 && s[0] == '{' && s[slen - 1] == '}') {
            bool tail = slen >= 3 && s[slen - 2] == '*';
            size_t nlen = slen - 2 - (tail ? 1 : 0);
            if (nlen == 0 || nlen > JY_ROUTE_PARAM_NAME_MAX) {
                *why = "has a parameter name that is empty or too long";
                return false;
            }
            for (size_t i = 0; i < nlen; i++)
                if (!is_name_char(s[1 + i], i == 0)) {
                    *why = "has a parameter name outside [a-z_][a-z0-9_]*";
                    return false;
                }
            for (size_t k = 0; k < n; k++)
                if (segs[k].kind != SEG_LITERAL && segs[k].len == nlen &&
                    memcmp(segs[k].s, s + 1, nlen) == 0) {
                    *why = "repeats a parameter name";
                    return false;
                }
            if (++n_params > JY_HTTP_MAX_PATH_PARAMS) {
                *why = "has too many parameters";
                return false;
            }
            if (tail && end != len) {
                *why = "has a '{name*}' parameter that is not last";
                return false;
            }
            segs[n++] = (struct seg){tail ? SEG_TAIL : SEG_PARAM, s + 1, nlen};
        } else {
            for (size_t i = 0; i < slen; i++)
                if (!is_literal_char(s[i])) {
                    *why = "has a literal segment with a character that needs encoding";
                    return false;
                }
            if ((slen == 1 && s[0] == '.') || (slen == 2 && s[0] == '.' && s[1] == '.')) {
                *why = "has a '.' or '..' segment";
                return false;
            }
            segs[n++] = (struct seg){SEG_LITERAL, s, slen};
        }
        if (end == len)
            break;
        pos = end + 1;
    }
    *ret_n = n;
    return true;
}

/* Match the shape of `segs` against the raw path; fill `spans` and `kinds` on success. */
static bool match_shape(const struct seg *segs, size_t n, const char *path, size_t len,
                        struct span spans[JY_HTTP_PATH_MAX_SEGMENTS],
                        unsigned char kinds[JY_HTTP_PATH_MAX_SEGMENTS])
{
    if (len == 0 || path[0] != '/')
        return false;
    size_t pos = 1;
    for (size_t i = 0; i < n; i++) {
        if (pos > len)
            return false; /* the path has fewer segments */
        kinds[i] = (unsigned char)segs[i].kind;
        if (segs[i].kind == SEG_TAIL) {
            spans[i] = (struct span){pos, len - pos};
            return true;
        }
        size_t end = pos;
        while (end < len && path[end] != '/')
            end++;
        size_t slen = end - pos;
        if (segs[i].kind == SEG_LITERAL) {
            if (slen != segs[i].len || memcmp(path + pos, segs[i].s, slen) != 0)
                return false;
        } else if (slen == 0) {
            return false;
        }
        spans[i] = (struct span){pos, slen};
        pos = end + 1;
    }
    return pos == len + 1; /* every segment of the path consumed */
}

/* Negative, zero or positive as the route with `a` (`na` segments) is less, as or more
 * specific than the one with `b`. */
static int compare_specificity(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
    size_t n = na < nb ? na : nb;
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return (int)a[i] - (int)b[i];
    return 0;
}

/* True when the two patterns accept exactly the same paths. */
static bool same_shape(const struct seg *a, size_t na, const struct seg *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (a[i].kind != b[i].kind)
            return false;
        if (a[i].kind == SEG_LITERAL && (a[i].len != b[i].len || memcmp(a[i].s, b[i].s, a[i].len)))
            return false;
    }
    return true;
}

static bool one_known_method(enum jy_http_method m)
{
    for (size_t i = 0; i < N_METHODS; i++)
        if (method_names[i].method == m)
            return true;
    return false;
}

enum jy_err jy_router_check(const struct jy_http_route *routes, size_t n_routes, bool have_auth,
                            struct jy_error *err)
{
    const unsigned known_flags =
        JY_ROUTE_PUBLIC | JY_ROUTE_NEEDS_CSRF | JY_ROUTE_NO_CSRF | JY_ROUTE_RATE_LIMITED;
    if (n_routes > 0 && !routes)
        return jy_error_set(err, JY_INVALID, "bad_route", NULL, "route table is NULL");
    for (size_t i = 0; i < n_routes; i++) {
        const struct jy_http_route *r = &routes[i];
        struct seg segs[JY_HTTP_PATH_MAX_SEGMENTS];
        size_t n = 0;
        const char *why = NULL;
        const char *pat = r->pattern ? r->pattern : "(null)";
        if (!r->pattern)
            why = "has no pattern";
        else if (!split_pattern(r->pattern, segs, &n, &why))
            ;
        else if (!one_known_method(r->method))
            why = "needs exactly one known method";
        else if (!r->handler)
            why = "has no handler";
        else if (r->max_body_bytes > JY_HTTP_DOCUMENT_MAX_BYTES)
            why = "allows a body above JY_HTTP_DOCUMENT_MAX_BYTES";
        else if (r->flags & ~known_flags)
            why = "has unknown flags";
        else if ((r->flags & JY_ROUTE_NEEDS_CSRF) && (r->flags & JY_ROUTE_NO_CSRF))
            why = "says both NEEDS_CSRF and NO_CSRF";
        else if ((r->flags & JY_ROUTE_PUBLIC) &&
                 (r->flags & (JY_ROUTE_NEEDS_CSRF | JY_ROUTE_NO_CSRF)))
            why = "is public, so it has no session to check a CSRF token against";
        else if ((r->flags & JY_ROUTE_NEEDS_CSRF) && !jy_http_method_changes_state(r->method))
            why = "asks for a CSRF token on a method that changes nothing";
        else if (!(r->flags & JY_ROUTE_PUBLIC) && jy_http_method_changes_state(r->method) &&
                 !(r->flags & (JY_ROUTE_NEEDS_CSRF | JY_ROUTE_NO_CSRF)))
            why = "changes state without saying JY_ROUTE_NEEDS_CSRF or JY_ROUTE_NO_CSRF";
        else if (!(r->flags & JY_ROUTE_PUBLIC) && !have_auth)
            why = "needs authentication but the server has no authenticate hook";
        if (why)
            return jy_error_set(err, JY_INVALID, "bad_route", NULL, "route %zu %s %s %s", i,
                                jy_http_method_name(r->method), pat, why);
        for (size_t k = 0; k < i; k++) {
            struct seg other[JY_HTTP_PATH_MAX_SEGMENTS];
            size_t no = 0;
            if (routes[k].method != r->method)
                continue;
            if (split_pattern(routes[k].pattern, other, &no, &why) &&
                same_shape(segs, n, other, no))
                return jy_error_set(err, JY_INVALID, "bad_route", NULL,
                                    "route %zu %s %s overlaps route %zu %s", i,
                                    jy_http_method_name(r->method), pat, k, routes[k].pattern);
        }
    }
    return JY_OK;
}

enum jy_err jy_router_match(const struct jy_http_route *routes, size_t n_routes,
                            enum jy_http_method method, const char *path, size_t path_len,
                            struct jy_router_match *ret, unsigned *ret_allowed,
                            struct jy_error *err)
{
    const struct jy_http_route *best = NULL;
    struct seg best_segs[JY_HTTP_PATH_MAX_SEGMENTS];
    struct span best_spans[JY_HTTP_PATH_MAX_SEGMENTS];
    unsigned char best_kinds[JY_HTTP_PATH_MAX_SEGMENTS];
    size_t best_n = 0;
    bool best_exact_method = false;
    unsigned allowed = 0;

    for (size_t i = 0; i < n_routes; i++) {
        const struct jy_http_route *r = &routes[i];
        struct seg segs[JY_HTTP_PATH_MAX_SEGMENTS];
        struct span spans[JY_HTTP_PATH_MAX_SEGMENTS];
        unsigned char kinds[JY_HTTP_PATH_MAX_SEGMENTS];
        size_t n = 0;
        const char *why = NULL;
        if (!r->pattern || !split_pattern(r->pattern, segs, &n, &why))
            continue;
        if (!match_shape(segs, n, path, path_len, spans, kinds))
            continue;
        allowed |= r->method;
        if (r->method == JY_HTTP_GET)
            allowed |= JY_HTTP_HEAD;
        bool exact = r->method == method;
        if (!exact && !(method == JY_HTTP_HEAD && r->method == JY_HTTP_GET))
            continue;
        int cmp = best ? compare_specificity(kinds, n, best_kinds, best_n) : 1;
        /* An explicit HEAD route beats the GET route of the same shape. */
        if (cmp > 0 || (cmp == 0 && exact && !best_exact_method)) {
            best = r;
            best_n = n;
            best_exact_method = exact;
            memcpy(best_segs, segs, sizeof(segs[0]) * n);
            memcpy(best_spans, spans, sizeof(spans[0]) * n);
            memcpy(best_kinds, kinds, n);
        }
    }
    if (!best) {
        if (allowed == 0)
            return jy_error_set(err, JY_NOT_FOUND, "no_route", NULL, "no such resource");
        if (ret_allowed)
            *ret_allowed = allowed;
        return jy_error_set(err, JY_METHOD_NOT_ALLOWED, NULL, NULL, "method %s is not allowed here",
                            jy_http_method_name(method));
    }

    struct jy_router_match m;
    m.route = best;
    m.n_params = 0;
    for (size_t i = 0; i < best_n; i++) {
        if (best_segs[i].kind == SEG_LITERAL)
            continue;
        struct jy_http_path_param *p = &m.params[m.n_params++];
        memcpy(p->name, best_segs[i].s, best_segs[i].len);
        p->name[best_segs[i].len] = '\0';
        enum jy_err e = jy_http_percent_decode(path + best_spans[i].off, best_spans[i].len, false,
                                               p->value, sizeof(p->value), &p->len, p->name, err);
        if (e != JY_OK)
            return e;
    }
    *ret = m;
    return JY_OK;
}

const char *jy_router_param(const struct jy_router_match *m, const char *name)
{
    if (!m || !name)
        return NULL;
    for (size_t i = 0; i < m->n_params; i++)
        if (strcmp(m->params[i].name, name) == 0)
            return m->params[i].value;
    return NULL;
}
