/*
 * runner.c — runs the declarative API cases of tests/api/cases/ against the real server.
 *
 * For each case file it makes a temporary directory, starts
 * `jingyou serve --demo --db <dir>/j.db --port 0` there, reads the port from the first line the
 * server prints, walks the case's steps over HTTP with libcurl and checks every answer, then
 * stops the server with SIGTERM (a server that does not exit with status 0 fails the case: under
 * the sanitizers that is how a leak or a race shows) and deletes the directory.
 *
 *   usage: api_runner [--only NAMES] [--verbose] [--keep] JINGYOU CASE.json...
 *
 * --only NAMES (or JY_API_ONLY=NAMES): a comma-separated list of case names (the file name
 * without .json); the other cases are skipped. --verbose (JY_API_VERBOSE=1) prints every
 * exchange. --keep (JY_API_KEEP=1) leaves the temporary directory (database, server log) in
 * place. JY_API_URL=http://127.0.0.1:8080 runs against a server that is already running instead
 * of starting one (its database is not fresh, so cases that count things may fail).
 *
 * Exit status: 0 when every case that ran passed, 1 when one failed, 2 on a usage error, 77 when
 * every case was skipped (CTest reports that as "Skipped").
 *
 * The case format — steps, variables, matchers — is described in tests/api/README.md.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "banned.h"

/* ---- limits of the runner itself ---- */

/* A response body kept in memory (a scanned document is at most 10 MiB). */
#define MAX_BODY_BYTES (64u * 1024 * 1024)
/* A request body built by "body_size" or read by "body_file". */
#define MAX_REQUEST_BYTES (64u * 1024 * 1024)
/* Users with a session in one case. */
#define MAX_SESSIONS 64
/* Claims a "claim … until" step may make before it gives up. */
#define MAX_CLAIMS 500
/* Seconds to wait for the server's first line, and for it to exit after SIGTERM. */
#define SERVER_START_SECONDS 120
#define SERVER_STOP_SECONDS 30
/* Seconds one request may take. */
#define REQUEST_TIMEOUT_SECONDS 60
/* Bytes of a body shown in a failure report. */
#define SHOW_BYTES 3000
/* Bytes of the server's log shown when a case fails. */
#define LOG_TAIL_BYTES 3000
/* Longest file path the runner builds. */
#define PATH_BYTES 4096

#define DEMO_PASSWORD "jingyou-demo"

/* ---- growable byte buffers, each with a maximum ---- */

struct buf {
    char *p;
    size_t len, cap, max;
};

static bool buf_add(struct buf *b, const void *data, size_t n)
{
    if (b->len > b->max || n > b->max - b->len)
        return false;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return false;
        b->p = p;
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
    return true;
}

static bool buf_str(struct buf *b, const char *s)
{
    return buf_add(b, s, strlen(s));
}

static void buf_release(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* ---- state of one case ---- */

struct session {
    char user[64];
    char cookie[512]; /* the jy_session token */
    char csrf[256];
};

struct response {
    long status;
    struct buf body;
    json_t *json;    /* the body parsed, or NULL when it is not JSON */
    json_t *headers; /* lowercase name → value (repeated headers joined by "\n") */
};

struct runner {
    const char *jingyou; /* absolute path of the binary */
    char case_dir[PATH_BYTES];
    char tmpdir[PATH_BYTES - 64]; /* room for the file names inside it */
    pid_t pid;                    /* the server; 0 when none was started */
    char base[256];               /* "http://127.0.0.1:PORT" */
    char clock[40];               /* the case's "clock" (serve --clock); "" for the real time */
    CURL *curl;
    json_t *vars;   /* saved values: name → JSON */
    json_t *probes; /* the case's probes (borrowed from the case) */
    struct session sessions[MAX_SESSIONS];
    size_t n_sessions;
    bool verbose;
    time_t started;    /* when the case began: what ${now} and ${today} count from */
    char why[4096];    /* why the current step failed */
    struct buf report; /* the exchanges of the current step */
};

/* Record why the step failed (the first reason wins) and return false. */
static bool failf(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool failf(struct runner *r, const char *fmt, ...)
{
    if (r->why[0])
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof(r->why), fmt, ap);
    va_end(ap);
    return false;
}

/* A JSON value as compact text, cut to `max` bytes; caller frees. */
static char *show_json(const json_t *v, size_t max)
{
    if (!v)
        return strdup("(absent)");
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s)
        return strdup("(unprintable)");
    if (strlen(s) > max) {
        s[max] = '\0';
        if (max > 3)
            memcpy(s + max - 3, "...", 3);
    }
    return s;
}

static void response_release(struct response *res)
{
    buf_release(&res->body);
    json_decref(res->json);
    json_decref(res->headers);
    memset(res, 0, sizeof(*res));
}

/* ---- files and directories ---- */

static bool read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    out->max = MAX_REQUEST_BYTES;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        ok = buf_add(out, chunk, n);
    if (ferror(f))
        ok = false;
    fclose(f);
    if (ok && !out->p)
        ok = buf_add(out, "", 0);
    return ok;
}

/* rm -rf, without following symbolic links. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                    continue;
                char child[PATH_BYTES];
                int n = snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
                if (n > 0 && (size_t)n < sizeof(child))
                    remove_tree(child);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* The last `max` bytes of a file, printed with a prefix on every line. */
static void print_tail(const char *title, const char *path, size_t max)
{
    struct buf b = {0};
    if (!read_file(path, &b) || b.len == 0) {
        buf_release(&b);
        return;
    }
    const char *start = b.p;
    if (b.len > max) {
        start = b.p + b.len - max;
        const char *nl = strchr(start, '\n');
        if (nl)
            start = nl + 1;
    }
    printf("  # --- %s ---\n", title);
    for (const char *line = start; *line;) {
        const char *nl = strchr(line, '\n');
        int len = nl ? (int)(nl - line) : (int)strlen(line);
        printf("  #   %.*s\n", len, line);
        line = nl ? nl + 1 : line + len;
    }
    buf_release(&b);
}

/* ---- the server ---- */

/* Start the server on the database in r->tmpdir (made by server_start), with r->clock. */
static bool server_launch(struct runner *r);

static bool server_start(struct runner *r)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(r->tmpdir, sizeof(r->tmpdir), "%s/jy-api-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (n < 0 || (size_t)n >= sizeof(r->tmpdir) || !mkdtemp(r->tmpdir)) {
        r->tmpdir[0] = '\0';
        return failf(r, "cannot make a temporary directory: %s", strerror(errno));
    }
    return server_launch(r);
}

static bool server_launch(struct runner *r)
{
    char db[PATH_BYTES], out[PATH_BYTES], errlog[PATH_BYTES];
    snprintf(db, sizeof(db), "%s/j.db", r->tmpdir);
    snprintf(out, sizeof(out), "%s/server.out", r->tmpdir);
    snprintf(errlog, sizeof(errlog), "%s/server.err", r->tmpdir);

    unlink(out); /* a restart must not read the port of the server before */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return failf(r, "fork: %s", strerror(errno));
    if (pid == 0) {
        /* The server dies with the runner, whatever happens to the runner. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        int fe = open(errlog, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        int fi = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fo < 0 || fe < 0 || fi < 0 || dup2(fi, 0) < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0 ||
            chdir(r->tmpdir) != 0)
            _exit(127);
        char *argv[] = {(char *)r->jingyou,
                        "serve",
                        "--demo",
                        "--db",
                        db,
                        "--port",
                        "0",
                        r->clock[0] ? "--clock" : NULL,
                        r->clock,
                        NULL};
        execv(r->jingyou, argv);
        _exit(127);
    }
    r->pid = pid;

    /* Wait for the first line: "jingyou serving http://127.0.0.1:PORT/  (database …)". */
    struct timespec nap = {0, 20 * 1000 * 1000};
    for (int i = 0; i < SERVER_START_SECONDS * 50; i++) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            r->pid = 0;
            return failf(r, "the server exited before it served (status 0x%x)", status);
        }
        struct buf b = {0};
        if (read_file(out, &b) && b.p && strchr(b.p, '\n')) {
            *strchr(b.p, '\n') = '\0';
            const char *url = strstr(b.p, "http://");
            const char *end = url ? strchr(url + 7, '/') : NULL;
            bool ok = url && end && (size_t)(end - url) < sizeof(r->base);
            if (ok) {
                memcpy(r->base, url, (size_t)(end - url));
                r->base[end - url] = '\0';
            } else {
                failf(r, "cannot read the port from the server's first line: %s", b.p);
            }
            buf_release(&b);
            return ok;
        }
        buf_release(&b);
        nanosleep(&nap, NULL);
    }
    return failf(r, "the server printed nothing in %d s", SERVER_START_SECONDS);
}

/* Stop the server; false when it does not exit with status 0 after SIGTERM. */
static bool server_stop(struct runner *r)
{
    if (r->pid <= 0)
        return true;
    kill(r->pid, SIGTERM);
    struct timespec nap = {0, 20 * 1000 * 1000};
    int status = 0;
    bool gone = false;
    for (int i = 0; i < SERVER_STOP_SECONDS * 50 && !gone; i++) {
        if (waitpid(r->pid, &status, WNOHANG) == r->pid)
            gone = true;
        else
            nanosleep(&nap, NULL);
    }
    if (!gone) {
        kill(r->pid, SIGKILL);
        waitpid(r->pid, &status, 0);
        r->pid = 0;
        printf("  # the server did not stop within %d s of SIGTERM\n", SERVER_STOP_SECONDS);
        return false;
    }
    r->pid = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFSIGNALED(status))
        printf("  # the server died of signal %d after SIGTERM\n", WTERMSIG(status));
    else
        printf("  # the server exited with status %d after SIGTERM\n", WEXITSTATUS(status));
    return false;
}

/* ---- variables and substitution ---- */

/* Format a time as "YYYY-MM-DDTHH:MM:SSZ" (UTC) or, with `date_only`, the civil date in
 * Asia/Shanghai (UTC+8 all year round). */
static void format_time(time_t t, bool date_only, char *out, size_t size)
{
    struct tm tm;
    if (date_only)
        t += 8 * 3600;
    gmtime_r(&t, &tm);
    strftime(out, size, date_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A built-in variable: now, now+N, now-N (seconds, UTC ISO 8601), today, today+N, today-N (days,
 * Asia/Shanghai civil date), counted from `started` (the time the case began, one instant for
 * every step: a value written at one step matches the same value at the next, whatever second
 * the clock has turned to in between). New reference, or NULL when `name` is not one. */
static json_t *builtin_var(const char *name, time_t started)
{
    bool date = strncmp(name, "today", 5) == 0;
    bool time_ = strncmp(name, "now", 3) == 0;
    if (!date && !time_)
        return NULL;
    const char *rest = name + (date ? 5 : 3);
    long long offset = 0;
    if (*rest) {
        if (*rest != '+' && *rest != '-')
            return NULL;
        char *end = NULL;
        errno = 0;
        offset = strtoll(rest + 1, &end, 10);
        if (errno || !end || *end || end == rest + 1 || offset > 100000000LL)
            return NULL;
        if (*rest == '-')
            offset = -offset;
    }
    char out[40];
    format_time(started + (time_t)(date ? offset * 86400 : offset), date, out, sizeof(out));
    return json_string(out);
}

static const json_t *dig(const json_t *v, const char *path);

/* The value of a variable (new reference), or NULL with the step failed. "name.a.0" is the
 * value at that path inside variable "name". */
static json_t *var_get(struct runner *r, const char *name)
{
    json_t *v = json_object_get(r->vars, name);
    if (v)
        return json_incref(v);
    const char *dot = strchr(name, '.');
    if (dot && (size_t)(dot - name) < 128) {
        char head[128];
        memcpy(head, name, (size_t)(dot - name));
        head[dot - name] = '\0';
        const json_t *inner = dig(json_object_get(r->vars, head), dot + 1);
        if (inner)
            return json_incref((json_t *)inner);
    }
    v = builtin_var(name, r->started);
    if (!v)
        failf(r, "unknown variable ${%s}", name);
    return v;
}

/* A variable's value as text inside a string. */
static bool var_text(const json_t *v, struct buf *out)
{
    char num[64];
    switch (json_typeof(v)) {
    case JSON_STRING:
        return buf_add(out, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf_str(out, num);
    case JSON_REAL:
        snprintf(num, sizeof(num), "%.17g", json_real_value(v));
        return buf_str(out, num);
    default: {
        char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        bool ok = s && buf_str(out, s);
        free(s);
        return ok;
    }
    }
}

/* Replace every ${name} in `s` by the variable's text; "$${" stands for a literal "${".
 * Result in `out` (cleared first). */
static bool subst_text(struct runner *r, const char *s, size_t len, struct buf *out)
{
    out->len = 0;
    out->max = MAX_REQUEST_BYTES;
    if (!buf_add(out, "", 0))
        return failf(r, "out of memory");
    for (size_t i = 0; i < len;) {
        if (s[i] == '$' && i + 2 < len && s[i + 1] == '$' && s[i + 2] == '{') {
            if (!buf_add(out, "${", 2))
                return failf(r, "out of memory");
            i += 3;
            continue;
        }
        if (s[i] == '$' && i + 1 < len && s[i + 1] == '{') {
            const char *close = memchr(s + i + 2, '}', len - i - 2);
            if (!close)
                return failf(r, "unclosed ${ in \"%.*s\"", (int)(len > 200 ? 200 : len), s);
            char name[128];
            size_t n = (size_t)(close - (s + i + 2));
            if (n == 0 || n >= sizeof(name))
                return failf(r, "bad variable name in \"%.*s\"", (int)(len > 200 ? 200 : len), s);
            memcpy(name, s + i + 2, n);
            name[n] = '\0';
            json_t *v = var_get(r, name);
            if (!v)
                return false;
            bool ok = var_text(v, out);
            json_decref(v);
            if (!ok)
                return failf(r, "out of memory");
            i = (size_t)(close - s) + 1;
            continue;
        }
        if (!buf_add(out, s + i, 1))
            return failf(r, "out of memory");
        i++;
    }
    return true;
}

/* Merge `src` into `dst` (both objects): objects merge key by key, the string "$delete" removes
 * a key, anything else replaces. */
static void merge_into(json_t *dst, const json_t *src)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)src, k, v)
    {
        json_t *old = json_object_get(dst, k);
        if (json_is_string(v) && strcmp(json_string_value(v), "$delete") == 0)
            json_object_del(dst, k);
        else if (json_is_object(v) && json_is_object(old))
            merge_into(old, v);
        else
            json_object_set(dst, k, v);
    }
}

/* A copy of `t` with variables substituted in every string (keys stay as they are). A string
 * that is exactly "${name}" becomes the variable's JSON value, whatever its type. New
 * reference, or NULL with the step failed. */
static json_t *subst(struct runner *r, const json_t *t)
{
    if (json_is_string(t)) {
        const char *s = json_string_value(t);
        size_t len = json_string_length(t);
        if (len > 3 && s[0] == '$' && s[1] == '{' && s[len - 1] == '}' &&
            !memchr(s + 2, '}', len - 3) && !memchr(s + 2, '$', len - 3)) {
            char name[128];
            if (len - 3 < sizeof(name)) {
                memcpy(name, s + 2, len - 3);
                name[len - 3] = '\0';
                json_t *v = var_get(r, name);
                if (!v)
                    return NULL;
                json_t *copy = json_deep_copy(v);
                json_decref(v);
                return copy;
            }
        }
        struct buf b = {0};
        json_t *out = NULL;
        if (subst_text(r, s, len, &b))
            out = json_stringn_nocheck(b.p, b.len);
        buf_release(&b);
        return out;
    }
    if (json_is_object(t)) {
        json_t *out = json_object();
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)t, k, v)
        {
            json_t *c = subst(r, v);
            if (!c) {
                json_decref(out);
                return NULL;
            }
            json_object_set_new(out, k, c);
        }
        /* {"$repeat": [V, N]}: an array of N copies of V (large batches, long lists). */
        json_t *rep = json_object_get(out, "$repeat");
        if (rep && json_object_size(out) == 1) {
            json_t *what = json_array_get(rep, 0), *count = json_array_get(rep, 1);
            if (json_array_size(rep) != 2 || !json_is_integer(count) ||
                json_integer_value(count) < 0 || json_integer_value(count) > 100000) {
                json_decref(out);
                failf(r, "case file: $repeat takes [value, count 0..100000]");
                return NULL;
            }
            json_t *arr = json_array();
            for (json_int_t i = 0; i < json_integer_value(count); i++)
                json_array_append_new(arr, json_deep_copy(what));
            json_decref(out);
            return arr;
        }
        /* {"$merge": [A, B, …]}: A with B, … merged into it. */
        json_t *list = json_object_get(out, "$merge");
        if (list && json_object_size(out) == 1) {
            json_t *merged = json_object();
            size_t i;
            json_t *part;
            json_array_foreach(list, i, part)
            {
                if (!json_is_object(part)) {
                    json_decref(merged);
                    json_decref(out);
                    failf(r, "case file: $merge takes an array of objects");
                    return NULL;
                }
                merge_into(merged, part);
            }
            json_decref(out);
            return merged;
        }
        return out;
    }
    if (json_is_array(t)) {
        json_t *out = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(t, i, v)
        {
            json_t *c = subst(r, v);
            if (!c) {
                json_decref(out);
                return NULL;
            }
            json_array_append_new(out, c);
        }
        return out;
    }
    return json_deep_copy(t);
}

/* The value at a dotted path ("items.0.number"; "" is the value itself). Borrowed; NULL when
 * absent. */
static const json_t *dig(const json_t *v, const char *path)
{
    const char *p = path;
    while (v && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char key[256];
        if (n >= sizeof(key))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        if (json_is_object(v)) {
            v = json_object_get(v, key);
        } else if (json_is_array(v)) {
            char *end = NULL;
            long idx = strtol(key, &end, 10);
            if (!end || *end || end == key || idx < 0)
                return NULL;
            v = json_array_get(v, (size_t)idx);
        } else {
            return NULL;
        }
        p = dot ? dot + 1 : p + n;
    }
    return v;
}

/* ---- matching ---- */

struct mctx {
    char path[512]; /* where in the value we are, for messages */
    char why[2400];
};

static bool mismatch(struct mctx *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool mismatch(struct mctx *m, const char *fmt, ...)
{
    if (m->why[0])
        return false;
    char msg[1800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(m->why, sizeof(m->why), "at %s: %s", m->path[0] ? m->path : "(top)", msg);
    return false;
}

static size_t path_push(struct mctx *m, const char *key)
{
    size_t saved = strlen(m->path);
    snprintf(m->path + saved, sizeof(m->path) - saved, "%s%s", saved ? "." : "", key);
    return saved;
}

static void path_pop(struct mctx *m, size_t saved)
{
    m->path[saved] = '\0';
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    default:
        return "null";
    }
}

static bool type_is(const json_t *v, const char *want)
{
    const char *have = type_name(v);
    if (strcmp(want, have) == 0)
        return true;
    return strcmp(want, "number") == 0 && json_is_number(v);
}

/* Equality with 1 == 1.0. */
static bool same(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return json_number_value(a) == json_number_value(b);
    return json_equal(a, b);
}

/* Characters in a UTF-8 string. */
static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

/* Translate the Perl classes \d \D \w \s into POSIX extended syntax. */
static bool regex_translate(const char *re, struct buf *out)
{
    out->max = 64 * 1024;
    if (!buf_add(out, "", 0))
        return false;
    for (const char *p = re; *p; p++) {
        const char *rep = NULL;
        if (p[0] == '\\' && p[1]) {
            switch (p[1]) {
            case 'd':
                rep = "[0-9]";
                break;
            case 'D':
                rep = "[^0-9]";
                break;
            case 'w':
                rep = "[A-Za-z0-9_]";
                break;
            case 's':
                rep = "[[:space:]]";
                break;
            default:
                break;
            }
            if (rep) {
                if (!buf_str(out, rep))
                    return false;
            } else if (!buf_add(out, p, 2)) {
                return false;
            }
            p++;
            continue;
        }
        if (!buf_add(out, p, 1))
            return false;
    }
    return true;
}

static bool regex_match(const char *re, const char *s, bool *ret, char *err, size_t errsize)
{
    struct buf tr = {0};
    if (!regex_translate(re, &tr)) {
        buf_release(&tr);
        snprintf(err, errsize, "pattern too long");
        return false;
    }
    regex_t rx;
    int rc = regcomp(&rx, tr.p, REG_EXTENDED | REG_NOSUB);
    buf_release(&tr);
    if (rc != 0) {
        regerror(rc, &rx, err, errsize);
        return false;
    }
    *ret = regexec(&rx, s, 0, NULL, 0) == 0;
    regfree(&rx);
    return true;
}

static bool match(const json_t *exp, const json_t *act, struct mctx *m);

/* Does `act` match `exp`, without recording why not? */
static bool quietly_matches(const json_t *exp, const json_t *act)
{
    struct mctx scratch;
    memset(&scratch, 0, sizeof(scratch));
    return match(exp, act, &scratch);
}

static bool match_size(const char *op, const json_t *arg, const json_t *act, struct mctx *m)
{
    if (!json_is_integer(arg))
        return mismatch(m, "%s takes an integer", op);
    size_t n;
    if (json_is_array(act))
        n = json_array_size(act);
    else if (json_is_object(act))
        n = json_object_size(act);
    else if (json_is_string(act))
        n = utf8_chars(json_string_value(act), json_string_length(act));
    else
        return mismatch(m, "%s applies to arrays, objects and strings, not %s", op, type_name(act));
    json_int_t want = json_integer_value(arg);
    bool ok = strcmp(op, "$len") == 0       ? (json_int_t)n == want
              : strcmp(op, "$min_len") == 0 ? (json_int_t)n >= want
                                            : (json_int_t)n <= want;
    return ok ? true : mismatch(m, "%s %" JSON_INTEGER_FORMAT ": the length is %zu", op, want, n);
}

static bool match_op(const char *op, const json_t *arg, const json_t *act, struct mctx *m)
{
    if (strcmp(op, "$absent") == 0)
        return json_is_true(arg) ? mismatch(m, "expected no value here") : true;
    if (strcmp(op, "$present") == 0)
        return true;
    if (strcmp(op, "$regex") == 0) {
        if (!json_is_string(arg))
            return mismatch(m, "$regex takes a string");
        if (!json_is_string(act))
            return mismatch(m, "expected a string matching /%s/, got %s", json_string_value(arg),
                            type_name(act));
        bool ok = false;
        char err[256];
        if (!regex_match(json_string_value(arg), json_string_value(act), &ok, err, sizeof(err)))
            return mismatch(m, "bad pattern /%s/: %s", json_string_value(arg), err);
        return ok ? true
                  : mismatch(m, "\"%s\" does not match /%s/", json_string_value(act),
                             json_string_value(arg));
    }
    if (strcmp(op, "$type") == 0) {
        if (json_is_string(arg))
            return type_is(act, json_string_value(arg))
                       ? true
                       : mismatch(m, "expected %s, got %s", json_string_value(arg), type_name(act));
        size_t i;
        json_t *t;
        json_array_foreach(arg, i, t)
        {
            if (json_is_string(t) && type_is(act, json_string_value(t)))
                return true;
        }
        return mismatch(m, "the type %s is not among those allowed", type_name(act));
    }
    if (strcmp(op, "$len") == 0 || strcmp(op, "$min_len") == 0 || strcmp(op, "$max_len") == 0)
        return match_size(op, arg, act, m);
    if (strcmp(op, "$contains") == 0 || strcmp(op, "$not_contains") == 0) {
        bool want = strcmp(op, "$contains") == 0;
        if (json_is_string(act)) {
            /* a string: the argument is a substring, or an array of them (all / none) */
            const json_t *one = arg;
            size_t i = 0, n = json_is_array(arg) ? json_array_size(arg) : 1;
            for (; i < n; i++) {
                if (json_is_array(arg))
                    one = json_array_get(arg, i);
                if (!json_is_string(one))
                    return mismatch(m, "%s on a string takes strings", op);
                bool has = strstr(json_string_value(act), json_string_value(one)) != NULL;
                if (has != want)
                    return mismatch(m, "the text %s \"%s\"", want ? "lacks" : "contains",
                                    json_string_value(one));
            }
            return true;
        }
        if (json_is_array(act)) {
            size_t i;
            json_t *el;
            json_array_foreach(act, i, el)
            {
                if (quietly_matches(arg, el)) {
                    if (want)
                        return true;
                    char *a = show_json(arg, 300);
                    mismatch(m, "element %zu matches %s", i, a);
                    free(a);
                    return false;
                }
            }
            if (!want)
                return true;
            char *a = show_json(arg, 300);
            mismatch(m, "no element of the %zu matches %s", json_array_size(act), a);
            free(a);
            return false;
        }
        return mismatch(m, "%s applies to strings and arrays, not %s", op, type_name(act));
    }
    if (strcmp(op, "$eq") == 0 || strcmp(op, "$ne") == 0) {
        bool eq = same(arg, act);
        if (eq == (strcmp(op, "$eq") == 0))
            return true;
        char *a = show_json(arg, 300), *b = show_json(act, 300);
        mismatch(m, "%s %s: got %s", op, a, b);
        free(a);
        free(b);
        return false;
    }
    if (strcmp(op, "$one_of") == 0) {
        if (!json_is_array(arg))
            return mismatch(m, "$one_of takes an array");
        size_t i;
        json_t *alt;
        json_array_foreach(arg, i, alt)
        {
            if (quietly_matches(alt, act))
                return true;
        }
        char *a = show_json(arg, 300), *b = show_json(act, 300);
        mismatch(m, "expected one of %s, got %s", a, b);
        free(a);
        free(b);
        return false;
    }
    if (strcmp(op, "$not") == 0) {
        if (!quietly_matches(arg, act))
            return true;
        char *a = show_json(arg, 300);
        mismatch(m, "expected anything but %s", a);
        free(a);
        return false;
    }
    if (strcmp(op, "$each") == 0) {
        if (json_is_array(act)) {
            size_t i;
            json_t *el;
            json_array_foreach(act, i, el)
            {
                char idx[32];
                snprintf(idx, sizeof(idx), "%zu", i);
                size_t saved = path_push(m, idx);
                bool ok = match(arg, el, m);
                path_pop(m, saved);
                if (!ok)
                    return false;
            }
            return true;
        }
        if (json_is_object(act)) {
            const char *k;
            json_t *el;
            json_object_foreach((json_t *)act, k, el)
            {
                size_t saved = path_push(m, k);
                bool ok = match(arg, el, m);
                path_pop(m, saved);
                if (!ok)
                    return false;
            }
            return true;
        }
        return mismatch(m, "$each applies to arrays and objects, not %s", type_name(act));
    }
    if (strcmp(op, "$gt") == 0 || strcmp(op, "$gte") == 0 || strcmp(op, "$lt") == 0 ||
        strcmp(op, "$lte") == 0) {
        if (!json_is_number(arg) || !json_is_number(act))
            return mismatch(m, "%s compares numbers; got %s", op, type_name(act));
        double a = json_number_value(act), b = json_number_value(arg);
        bool ok = strcmp(op, "$gt") == 0    ? a > b
                  : strcmp(op, "$gte") == 0 ? a >= b
                  : strcmp(op, "$lt") == 0  ? a < b
                                            : a <= b;
        return ok ? true : mismatch(m, "%g is not %s %g", a, op, b);
    }
    return mismatch(m, "unknown matcher %s", op);
}

/* Does `act` (NULL: absent) match `exp`? Objects match as subsets (keys not named are free);
 * keys starting with '$' are operators applied to the value itself (all must hold); against an
 * array, keys "0", "1", … name elements. Arrays match element by element with the same length,
 * scalars by equality. */
static bool match(const json_t *exp, const json_t *act, struct mctx *m)
{
    if (json_is_object(exp)) {
        if (!act)
            return json_is_true(json_object_get(exp, "$absent")) ? true : mismatch(m, "missing");
        const char *k;
        json_t *v;
        size_t plain = 0;
        json_object_foreach((json_t *)exp, k, v)
        {
            if (k[0] != '$')
                plain++;
            else if (!match_op(k, v, act, m))
                return false;
        }
        if (plain == 0 && json_object_size(exp) > 0)
            return true;
        if (json_is_array(act)) {
            json_object_foreach((json_t *)exp, k, v)
            {
                if (k[0] == '$')
                    continue;
                char *end = NULL;
                long idx = strtol(k, &end, 10);
                if (!end || *end || end == k || idx < 0)
                    return mismatch(m, "expected an object, got an array");
                size_t saved = path_push(m, k);
                bool ok = match(v, json_array_get(act, (size_t)idx), m);
                path_pop(m, saved);
                if (!ok)
                    return false;
            }
            return true;
        }
        if (!json_is_object(act))
            return mismatch(m, "expected an object, got %s", type_name(act));
        json_object_foreach((json_t *)exp, k, v)
        {
            if (k[0] == '$')
                continue;
            size_t saved = path_push(m, k);
            bool ok = match(v, json_object_get(act, k), m);
            path_pop(m, saved);
            if (!ok)
                return false;
        }
        return true;
    }
    if (!act)
        return mismatch(m, "missing");
    if (json_is_array(exp)) {
        if (!json_is_array(act))
            return mismatch(m, "expected an array, got %s", type_name(act));
        if (json_array_size(exp) != json_array_size(act)) {
            char *b = show_json(act, 600);
            mismatch(m, "expected %zu elements, got %zu: %s", json_array_size(exp),
                     json_array_size(act), b);
            free(b);
            return false;
        }
        size_t i;
        json_t *v;
        json_array_foreach(exp, i, v)
        {
            char idx[32];
            snprintf(idx, sizeof(idx), "%zu", i);
            size_t saved = path_push(m, idx);
            bool ok = match(v, json_array_get(act, i), m);
            path_pop(m, saved);
            if (!ok)
                return false;
        }
        return true;
    }
    if (same(exp, act))
        return true;
    char *a = show_json(exp, 300), *b = show_json(act, 300);
    mismatch(m, "expected %s, got %s", a, b);
    free(a);
    free(b);
    return false;
}

/* `name` lowercased into `out`; false when it does not fit. */
static bool lowercase(const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (n >= size)
        return false;
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)tolower((unsigned char)name[i]);
    return true;
}

/* ---- HTTP ---- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct response *res = ctx;
    size_t n = size * nmemb;
    return buf_add(&res->body, data, n) ? n : 0;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ctx)
{
    struct response *res = ctx;
    size_t n = size * nmemb;
    const char *colon = memchr(data, ':', n);
    if (!colon || colon == data)
        return n;
    char name[128];
    size_t nlen = (size_t)(colon - data);
    if (nlen >= sizeof(name))
        return n;
    for (size_t i = 0; i < nlen; i++)
        name[i] = (char)tolower((unsigned char)data[i]);
    name[nlen] = '\0';
    const char *v = colon + 1, *end = data + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    json_t *old = json_object_get(res->headers, name);
    struct buf b = {.max = 1 << 20};
    bool ok = true;
    if (old)
        ok = buf_add(&b, json_string_value(old), json_string_length(old)) && buf_add(&b, "\n", 1);
    ok = ok && buf_add(&b, v, (size_t)(end - v));
    if (ok)
        json_object_set_new(res->headers, name, json_stringn_nocheck(b.p, b.len));
    buf_release(&b);
    return n;
}

/* Percent-encode what may not appear raw in a request target (bytes ≥ 0x80, spaces, controls). */
static bool encode_target(const char *path, struct buf *out)
{
    out->max = 1 << 20;
    if (!buf_add(out, "", 0))
        return false;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p >= 0x80 || *p <= 0x20 || *p == 0x7F) {
            char esc[4];
            snprintf(esc, sizeof(esc), "%%%02X", *p);
            if (!buf_add(out, esc, 3))
                return false;
        } else if (!buf_add(out, p, 1)) {
            return false;
        }
    }
    return true;
}

static struct session *session_find(struct runner *r, const char *user)
{
    for (size_t i = 0; i < r->n_sessions; i++)
        if (strcmp(r->sessions[i].user, user) == 0)
            return &r->sessions[i];
    return NULL;
}

enum csrf_mode { CSRF_AUTO, CSRF_NONE, CSRF_VALUE };

struct request {
    const char *method;
    const char *path;        /* substituted, not yet encoded */
    struct session *session; /* NULL: anonymous */
    const json_t *headers;   /* substituted step headers: name → string | null; may be NULL */
    const char *body;        /* NULL: no body */
    size_t body_len;
    const char *content_type; /* default Content-Type when there is a body */
    enum csrf_mode csrf;
    const char *csrf_value; /* CSRF_VALUE */
};

static bool changes_state(const char *method)
{
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
           strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

/* Send one request; the response (status 0 when none came) goes into `res`, which the caller
 * releases. False only when the request could not be made at all. */
static bool http(struct runner *r, const struct request *q, struct response *res)
{
    memset(res, 0, sizeof(*res));
    res->body.max = MAX_BODY_BYTES;
    res->headers = json_object();
    buf_add(&res->body, "", 0);

    /* Header names lowercased, so that a step's headers replace the defaults. */
    json_t *hdrs = json_object();
    char cookie[600];
    if (q->session) {
        snprintf(cookie, sizeof(cookie), "jy_session=%s", q->session->cookie);
        json_object_set_new(hdrs, "cookie", json_string(cookie));
    }
    if (changes_state(q->method)) {
        if (q->csrf == CSRF_VALUE)
            json_object_set_new(hdrs, "x-csrf-token", json_string(q->csrf_value));
        else if (q->csrf == CSRF_AUTO && q->session)
            json_object_set_new(hdrs, "x-csrf-token", json_string(q->session->csrf));
    }
    if (q->body && q->content_type)
        json_object_set_new(hdrs, "content-type", json_string(q->content_type));
    if (!q->body || q->body_len == 0)
        json_object_set_new(hdrs, "content-type", json_null());
    if (q->headers) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)q->headers, k, v)
        {
            char lower[128];
            if (lowercase(k, lower, sizeof(lower)))
                json_object_set(hdrs, lower, v);
        }
    }
    struct curl_slist *list = NULL;
    const char *k;
    json_t *v;
    bool ok = true;
    json_object_foreach(hdrs, k, v)
    {
        struct buf line = {.max = 1 << 20};
        ok = ok && buf_str(&line, k) && buf_str(&line, json_is_string(v) ? ": " : ":");
        if (json_is_string(v))
            ok = ok && buf_str(&line, json_string_value(v));
        struct curl_slist *l2 = ok ? curl_slist_append(list, line.p) : NULL;
        if (l2)
            list = l2;
        else
            ok = false;
        buf_release(&line);
    }
    json_decref(hdrs);

    struct buf target = {0}, url = {.max = 1 << 20};
    ok = ok && encode_target(q->path, &target) && buf_str(&url, r->base) && buf_str(&url, target.p);
    if (!ok) {
        curl_slist_free_all(list);
        buf_release(&target);
        buf_release(&url);
        return failf(r, "cannot build the request");
    }

    CURL *c = r->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url.p);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)REQUEST_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, res);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, res);
    if (strcmp(q->method, "GET") == 0 && !q->body) {
        curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(q->method, "HEAD") == 0) {
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
        if (q->body || changes_state(q->method)) {
            curl_easy_setopt(c, CURLOPT_POST, 1L);
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                             (curl_off_t)(q->body ? q->body_len : 0));
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, q->body ? q->body : "");
        }
        if (strcmp(q->method, "POST") != 0)
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, q->method);
    }
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    buf_release(&target);
    if (rc != CURLE_OK) {
        failf(r, "%s %s: %s", q->method, url.p, curl_easy_strerror(rc));
        buf_release(&url);
        return false;
    }
    buf_release(&url);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res->status);
    if (res->body.len > 0)
        res->json = json_loadb(res->body.p, res->body.len, JSON_DECODE_ANY, NULL);
    return true;
}

/* ---- steps ---- */

/* Append formatted text to the step's report. */
static void notef(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void notef(struct runner *r, const char *fmt, ...)
{
    char line[SHOW_BYTES + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    buf_str(&r->report, line);
}

/* Add what was sent and what came back to the step's report (shown on failure, or always with
 * --verbose). */
static void show_exchange(struct runner *r, const struct request *q, const struct response *res)
{
    notef(r, "  #   > %s %s%s%s\n", q->method, q->path, q->session ? "  as " : "",
          q->session ? q->session->user : "");
    if (q->body && q->body_len) {
        if (memchr(q->body, '\0', q->body_len) == NULL)
            notef(r, "  #   > %.*s%s\n", (int)(q->body_len > SHOW_BYTES ? SHOW_BYTES : q->body_len),
                  q->body, q->body_len > SHOW_BYTES ? " ..." : "");
        else
            notef(r, "  #   > (%zu bytes)\n", q->body_len);
    }
    notef(r, "  #   < %ld\n", res->status);
    if (res->body.len) {
        if (memchr(res->body.p, '\0', res->body.len) == NULL)
            notef(r, "  #   < %.*s%s\n",
                  (int)(res->body.len > SHOW_BYTES ? SHOW_BYTES : res->body.len), res->body.p,
                  res->body.len > SHOW_BYTES ? " ..." : "");
        else
            notef(r, "  #   < (%zu bytes)\n", res->body.len);
    }
}

static bool key_allowed(const char *key, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(key, *allowed) == 0)
            return true;
    return false;
}

static bool check_keys(struct runner *r, const json_t *obj, const char *what,
                       const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)obj, k, v)
    {
        (void)v;
        if (!key_allowed(k, allowed))
            return failf(r, "case file: unknown key \"%s\" in %s", k, what);
    }
    return true;
}

/* A path relative to the case file's directory; false when it does not fit. */
static bool case_file(const struct runner *r, const char *rel, char *out, size_t size)
{
    if (!rel)
        return false;
    size_t a = strlen(r->case_dir), b = strlen(rel);
    if (a + 1 + b >= size)
        return false;
    memcpy(out, r->case_dir, a);
    out[a] = '/';
    memcpy(out + a + 1, rel, b + 1);
    return true;
}

/* Check a response against an expectation (already substituted). An absent `expect`, or one
 * without "status", asks for a 2xx status. */
static bool check_expect(struct runner *r, const json_t *expect, const struct response *res)
{
    static const char *const keys[] = {"status", "json",     "json_absent", "headers",
                                       "raw",    "raw_file", NULL};
    if (expect && !check_keys(r, expect, "expect", keys))
        return false;
    const json_t *status = expect ? json_object_get(expect, "status") : NULL;
    if (!status) {
        if (res->status < 200 || res->status > 299)
            return failf(r, "expected a 2xx status, got %ld", res->status);
    } else if (json_is_integer(status)) {
        if (res->status != (long)json_integer_value(status))
            return failf(r, "expected status %" JSON_INTEGER_FORMAT ", got %ld",
                         json_integer_value(status), res->status);
    } else if (json_is_array(status)) {
        bool any = false;
        size_t i;
        json_t *s;
        json_array_foreach(status, i, s) any = any || (long)json_integer_value(s) == res->status;
        if (!any) {
            char *a = show_json(status, 200);
            failf(r, "expected a status in %s, got %ld", a, res->status);
            free(a);
            return false;
        }
    } else {
        return failf(r, "case file: \"status\" must be an integer or an array of them");
    }
    if (!expect)
        return true;

    struct mctx m;
    memset(&m, 0, sizeof(m));
    const json_t *want = json_object_get(expect, "json");
    if (want) {
        if (!res->json)
            return failf(r, "expected a JSON body, got %zu bytes that are not JSON", res->body.len);
        if (!match(want, res->json, &m))
            return failf(r, "body %s", m.why);
    }
    const json_t *absent = json_object_get(expect, "json_absent");
    if (absent) {
        if (!json_is_array(absent))
            return failf(r, "case file: json_absent must be an array of paths");
        size_t i;
        json_t *p;
        json_array_foreach(absent, i, p)
        {
            if (!json_is_string(p))
                return failf(r, "case file: json_absent must be an array of paths");
            if (res->json && dig(res->json, json_string_value(p))) {
                char *a = show_json(dig(res->json, json_string_value(p)), 300);
                failf(r, "body has %s (%s), which must not be there", json_string_value(p), a);
                free(a);
                return false;
            }
        }
    }
    const json_t *hdrs = json_object_get(expect, "headers");
    if (hdrs) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)hdrs, k, v)
        {
            char lower[128];
            if (!lowercase(k, lower, sizeof(lower)))
                return failf(r, "case file: header name too long");
            memset(&m, 0, sizeof(m));
            snprintf(m.path, sizeof(m.path), "header %s", k);
            if (!match(v, json_object_get(res->headers, lower), &m))
                return failf(r, "%s", m.why);
        }
    }
    const json_t *raw = json_object_get(expect, "raw");
    if (raw) {
        json_t *text = json_stringn_nocheck(res->body.p ? res->body.p : "", res->body.len);
        memset(&m, 0, sizeof(m));
        snprintf(m.path, sizeof(m.path), "raw body");
        bool ok = match(raw, text, &m);
        json_decref(text);
        if (!ok)
            return failf(r, "%s", m.why);
    }
    const json_t *raw_file = json_object_get(expect, "raw_file");
    if (raw_file) {
        char path[PATH_BYTES];
        struct buf f = {0};
        if (!case_file(r, json_string_value(raw_file), path, sizeof(path)) ||
            !read_file(path, &f)) {
            buf_release(&f);
            return failf(r, "case file: cannot read %s", path);
        }
        bool same_bytes =
            f.len == res->body.len && (f.len == 0 || memcmp(f.p, res->body.p, f.len) == 0);
        size_t flen = f.len;
        buf_release(&f);
        if (!same_bytes)
            return failf(r, "the body (%zu bytes) differs from %s (%zu bytes)", res->body.len, path,
                         flen);
    }
    return true;
}

/* Save values of the response into variables: name → dotted path, "$status", "$body" (the raw
 * body as a string), "$json" (the whole body) or "$header:Name". */
static bool save_vars(struct runner *r, const json_t *save, const struct response *res)
{
    if (!json_is_object(save))
        return failf(r, "case file: save must be an object");
    const char *name;
    json_t *spec;
    json_object_foreach((json_t *)save, name, spec)
    {
        if (!json_is_string(spec))
            return failf(r, "case file: save.%s must be a path", name);
        const char *p = json_string_value(spec);
        json_t *v = NULL;
        if (strcmp(p, "$status") == 0) {
            v = json_integer(res->status);
        } else if (strcmp(p, "$body") == 0) {
            v = json_stringn_nocheck(res->body.p ? res->body.p : "", res->body.len);
        } else if (strcmp(p, "$json") == 0) {
            v = res->json ? json_deep_copy(res->json) : NULL;
        } else if (strncmp(p, "$header:", 8) == 0) {
            char lower[128];
            const json_t *h = lowercase(p + 8, lower, sizeof(lower))
                                  ? json_object_get(res->headers, lower)
                                  : NULL;
            v = h ? json_deep_copy(h) : NULL;
        } else {
            const json_t *found = res->json ? dig(res->json, p) : NULL;
            v = found ? json_deep_copy(found) : NULL;
        }
        if (!v)
            return failf(r, "cannot save %s: the response has no %s", name, p);
        json_object_set_new(r->vars, name, v);
    }
    return true;
}

static const char *session_cookie_value(const struct response *res, char *out, size_t size)
{
    const json_t *sc = json_object_get(res->headers, "set-cookie");
    const char *s = sc ? strstr(json_string_value(sc), "jy_session=") : NULL;
    if (!s)
        return NULL;
    s += strlen("jy_session=");
    size_t n = strcspn(s, ";\n");
    if (n == 0 || n >= size)
        return NULL;
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* Log `user` in with `password`; on 200 the session replaces any earlier one of that user.
 * `expect` (substituted; may be NULL: status 200) is checked against the answer. */
static bool do_login(struct runner *r, const char *user, const char *password, const json_t *expect,
                     const json_t *save)
{
    json_t *body = json_pack("{s:s, s:s}", "username", user, "password", password);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    struct request q = {.method = "POST",
                        .path = "/api/v1/session",
                        .body = text,
                        .body_len = strlen(text),
                        .content_type = "application/json",
                        .csrf = CSRF_NONE};
    struct response res;
    bool ok = http(r, &q, &res);
    json_t *want = expect ? json_incref((json_t *)expect) : json_pack("{s:i}", "status", 200);
    ok = ok && check_expect(r, want, &res);
    json_decref(want);
    if (ok && res.status == 200) {
        struct session s;
        memset(&s, 0, sizeof(s));
        snprintf(s.user, sizeof(s.user), "%s", user);
        const char *csrf = json_string_value(json_object_get(res.json, "csrf_token"));
        if (!session_cookie_value(&res, s.cookie, sizeof(s.cookie)) || !csrf ||
            strlen(csrf) >= sizeof(s.csrf)) {
            ok = failf(r, "login of %s: no jy_session cookie or csrf_token in the answer", user);
        } else {
            snprintf(s.csrf, sizeof(s.csrf), "%s", csrf);
            struct session *old = session_find(r, user);
            if (old) {
                *old = s;
            } else if (r->n_sessions < MAX_SESSIONS) {
                r->sessions[r->n_sessions++] = s;
            } else {
                ok = failf(r, "more than %d users in one case", MAX_SESSIONS);
            }
        }
    }
    if (ok && save)
        ok = save_vars(r, save, &res);
    if (!ok || r->verbose)
        show_exchange(r, &q, &res);
    response_release(&res);
    free(text);
    return ok;
}

/* The session of `user`, logging in (once per case) when there is none yet. */
static struct session *session_for(struct runner *r, const char *user)
{
    struct session *s = session_find(r, user);
    if (s)
        return s;
    if (!do_login(r, user, DEMO_PASSWORD, NULL, NULL))
        return NULL;
    return session_find(r, user);
}

/* A request step's request, from the (substituted) step. `body` receives the bytes; the caller
 * releases it. */
static bool build_request(struct runner *r, const json_t *st, struct request *q, struct buf *body,
                          struct buf *path)
{
    memset(q, 0, sizeof(*q));
    const json_t *as = json_object_get(st, "as");
    if (as && !json_is_string(as))
        return failf(r, "case file: \"as\" must be a user name");
    if (as && !(q->session = session_for(r, json_string_value(as))))
        return false;
    const json_t *method = json_object_get(st, "method");
    q->method = method ? json_string_value(method) : "GET";
    if (!q->method)
        return failf(r, "case file: \"method\" must be a string");
    const char *p = json_string_value(json_object_get(st, "path"));
    if (!p || p[0] != '/')
        return failf(r, "case file: a request step needs a \"path\" starting with /");
    path->max = 1 << 20;
    if (!buf_str(path, p))
        return failf(r, "out of memory");
    q->path = path->p;

    const json_t *hdrs = json_object_get(st, "headers");
    if (hdrs && !json_is_object(hdrs))
        return failf(r, "case file: \"headers\" must be an object");
    q->headers = hdrs;

    const json_t *csrf = json_object_get(st, "csrf");
    if (!csrf || json_is_true(csrf)) {
        q->csrf = CSRF_AUTO;
    } else if (json_is_false(csrf)) {
        q->csrf = CSRF_NONE;
    } else if (json_is_string(csrf)) {
        q->csrf = CSRF_VALUE;
        q->csrf_value = json_string_value(csrf);
    } else {
        return failf(r, "case file: \"csrf\" is true, false or a string");
    }

    body->max = MAX_REQUEST_BYTES;
    const json_t *b;
    int kinds = 0;
    if ((b = json_object_get(st, "body"))) {
        kinds++;
        char *text = json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY);
        bool ok = text && buf_str(body, text);
        free(text);
        if (!ok)
            return failf(r, "out of memory");
        q->content_type = "application/json";
    }
    if ((b = json_object_get(st, "body_raw"))) {
        kinds++;
        if (!json_is_string(b) || !buf_add(body, json_string_value(b), json_string_length(b)))
            return failf(r, "case file: body_raw must be a string");
        q->content_type = "application/json";
    }
    if ((b = json_object_get(st, "body_file"))) {
        kinds++;
        char fpath[PATH_BYTES];
        if (!case_file(r, json_string_value(b), fpath, sizeof(fpath)))
            return failf(r, "case file: body_file must be a path");
        if (!read_file(fpath, body))
            return failf(r, "case file: cannot read %s", fpath);
        q->content_type = "application/octet-stream";
    }
    if ((b = json_object_get(st, "body_size"))) {
        kinds++;
        if (!json_is_integer(b) || json_integer_value(b) < 0 ||
            json_integer_value(b) > (json_int_t)MAX_REQUEST_BYTES)
            return failf(r, "case file: body_size must be 0..%u", MAX_REQUEST_BYTES);
        size_t n = (size_t)json_integer_value(b);
        char *x = malloc(n ? n : 1);
        if (!x)
            return failf(r, "out of memory");
        memset(x, 'x', n);
        bool ok = buf_add(body, x, n);
        free(x);
        if (!ok)
            return failf(r, "out of memory");
        q->content_type = "application/json";
    }
    if (kinds > 1)
        return failf(r, "case file: a step has at most one of body, body_raw, body_file, "
                        "body_size");
    if (kinds == 1) {
        q->body = body->p ? body->p : "";
        q->body_len = body->len;
    }
    return true;
}

/* Run each named probe; `ret` gets an array of the answers (parsed JSON, else the raw body). */
static bool run_probes(struct runner *r, const json_t *names, json_t **ret)
{
    json_t *out = json_array();
    size_t n = json_is_array(names) ? json_array_size(names) : 1;
    for (size_t i = 0; i < n; i++) {
        const json_t *name = json_is_array(names) ? json_array_get(names, i) : names;
        const json_t *probe = json_object_get(r->probes, json_string_value(name));
        if (!json_is_string(name) || !probe) {
            json_decref(out);
            return failf(r, "case file: no probe named %s", json_string_value(name));
        }
        json_t *st = subst(r, probe);
        if (!st) {
            json_decref(out);
            return false;
        }
        struct request q;
        struct buf body = {0}, path = {0};
        struct response res;
        memset(&res, 0, sizeof(res));
        bool ok = build_request(r, st, &q, &body, &path) && http(r, &q, &res);
        if (ok && res.status != 200)
            ok = failf(r, "probe %s answered %ld", json_string_value(name), res.status);
        if (ok)
            json_array_append_new(out, res.json ? json_deep_copy(res.json)
                                                : json_stringn_nocheck(res.body.p, res.body.len));
        else
            show_exchange(r, &q, &res);
        response_release(&res);
        buf_release(&body);
        buf_release(&path);
        json_decref(st);
        if (!ok) {
            json_decref(out);
            return false;
        }
    }
    *ret = out;
    return true;
}

/* The first place where `a` and `b` differ, as "path: A → B" in `out`. */
static void first_diff(const json_t *a, const json_t *b, char *path, size_t psize, char *out,
                       size_t size)
{
    size_t plen = strlen(path);
    if (json_is_object(a) && json_is_object(b)) {
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)a, k, v)
        {
            if (!json_equal(v, json_object_get(b, k))) {
                snprintf(path + plen, psize - plen, "%s%s", plen ? "." : "", k);
                first_diff(v, json_object_get(b, k), path, psize, out, size);
                return;
            }
        }
        json_object_foreach((json_t *)b, k, v)
        {
            if (!json_object_get(a, k)) {
                snprintf(path + plen, psize - plen, "%s%s", plen ? "." : "", k);
                first_diff(NULL, v, path, psize, out, size);
                return;
            }
        }
    }
    if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b)) {
        for (size_t i = 0; i < json_array_size(a); i++) {
            if (!json_equal(json_array_get(a, i), json_array_get(b, i))) {
                snprintf(path + plen, psize - plen, "%s%zu", plen ? "." : "", i);
                first_diff(json_array_get(a, i), json_array_get(b, i), path, psize, out, size);
                return;
            }
        }
    }
    if (json_is_array(a) && json_is_array(b)) {
        char *y = show_json(json_array_get(b, 0), 600);
        snprintf(out, size, "%s: %zu elements → %zu, the first now %s", path[0] ? path : "(top)",
                 json_array_size(a), json_array_size(b), y);
        free(y);
        return;
    }
    char *x = show_json(a, 600), *y = show_json(b, 600);
    snprintf(out, size, "%s: %s → %s", path[0] ? path : "(top)", x, y);
    free(x);
    free(y);
}

/* A request step (substituted). With "unchanged", the named probes are run before and after
 * and must answer the same. */
static bool do_request(struct runner *r, const json_t *st)
{
    const json_t *unchanged = json_object_get(st, "unchanged");
    json_t *before = NULL;
    if (unchanged && !run_probes(r, unchanged, &before))
        return false;

    struct request q;
    struct buf body = {0}, path = {0};
    struct response res;
    memset(&res, 0, sizeof(res));
    bool sent = build_request(r, st, &q, &body, &path) && http(r, &q, &res);
    bool ok = sent && check_expect(r, json_object_get(st, "expect"), &res);
    const json_t *save = json_object_get(st, "save");
    if (ok && save)
        ok = save_vars(r, save, &res);

    if (ok && before) {
        json_t *after = NULL;
        ok = run_probes(r, unchanged, &after);
        for (size_t i = 0; ok && i < json_array_size(before); i++) {
            if (json_equal(json_array_get(before, i), json_array_get(after, i)))
                continue;
            const json_t *name =
                json_is_array(unchanged) ? json_array_get(unchanged, i) : unchanged;
            char where[512] = "", diff[1600];
            first_diff(json_array_get(before, i), json_array_get(after, i), where, sizeof(where),
                       diff, sizeof(diff));
            ok = failf(r, "the step changed what probe %s answers, at %s", json_string_value(name),
                       diff);
        }
        json_decref(after);
    }
    json_decref(before);
    if (sent && (!ok || r->verbose))
        show_exchange(r, &q, &res);
    response_release(&res);
    buf_release(&body);
    buf_release(&path);
    return ok;
}

/* {"claim": STATION, "as": USER, "until": NUMBER, "max": N, "expect": …, "save": …}: claim at
 * the station until the item claimed is NUMBER. An item that is someone else's (the demo city's)
 * is completed at the station to get it out of the way, as an operator would. Without "until",
 * one claim, checked against "expect". */
static bool do_claim(struct runner *r, const json_t *st)
{
    const char *station = json_string_value(json_object_get(st, "claim"));
    const char *user = json_string_value(json_object_get(st, "as"));
    const json_t *until = json_object_get(st, "until");
    const json_t *maxv = json_object_get(st, "max");
    long max = maxv ? (long)json_integer_value(maxv) : MAX_CLAIMS;
    if (!station || !user)
        return failf(r, "case file: a claim step needs \"claim\" (the station) and \"as\"");
    if (until && !json_is_string(until))
        return failf(r, "case file: \"until\" must be an application number");
    if (max < 1 || max > MAX_CLAIMS)
        return failf(r, "case file: \"max\" must be 1..%d", MAX_CLAIMS);
    struct session *s = session_for(r, user);
    if (!s)
        return false;
    char claim_path[256];
    snprintf(claim_path, sizeof(claim_path), "/api/v1/stations/%s/claim", station);
    for (long i = 0; i < max; i++) {
        struct request q = {.method = "POST", .path = claim_path, .session = s, .csrf = CSRF_AUTO};
        struct response res;
        if (!http(r, &q, &res))
            return false;
        const char *number = json_string_value(json_object_get(res.json, "number"));
        if (!until ||
            (res.status == 200 && number && strcmp(number, json_string_value(until)) == 0)) {
            bool ok = check_expect(r, json_object_get(st, "expect"), &res);
            const json_t *save = json_object_get(st, "save");
            if (ok && save)
                ok = save_vars(r, save, &res);
            if (!ok || r->verbose)
                show_exchange(r, &q, &res);
            response_release(&res);
            return ok;
        }
        if (res.status != 200 || !number) {
            failf(r, "claiming at %s until %s: the claim answered %ld before that item came",
                  station, json_string_value(until), res.status);
            show_exchange(r, &q, &res);
            response_release(&res);
            return false;
        }
        /* Someone else's item: move it on. */
        char cpath[256];
        snprintf(cpath, sizeof(cpath), "/api/v1/applications/%s/complete", number);
        response_release(&res);
        json_t *b = json_pack("{s:s}", "station", station);
        char *text = json_dumps(b, JSON_COMPACT);
        json_decref(b);
        struct request c = {.method = "POST",
                            .path = cpath,
                            .session = s,
                            .body = text,
                            .body_len = strlen(text),
                            .content_type = "application/json",
                            .csrf = CSRF_AUTO};
        bool ok = http(r, &c, &res);
        if (ok && res.status != 200) {
            ok = failf(r, "claiming at %s until %s: completing %s (in the way) answered %ld",
                       station, json_string_value(until), number, res.status);
            show_exchange(r, &c, &res);
        } else if (ok && r->verbose) {
            notef(r, "  #   (claimed %s at %s before %s; completed it)\n",
                  json_string_value(json_object_get(res.json, "number")), station,
                  json_string_value(until));
        }
        response_release(&res);
        free(text);
        if (!ok)
            return false;
    }
    return failf(r, "claiming at %s: %s did not come in %ld claims", station,
                 json_string_value(until), max);
}

static bool run_step(struct runner *r, const json_t *raw)
{
    static const char *const keys[] = {
        "comment",   "login",  "password", "forget",  "claim",     "until",    "max",
        "as",        "method", "path",     "headers", "body",      "body_raw", "body_file",
        "body_size", "csrf",   "expect",   "save",    "unchanged", "restart",  NULL};
    if (!json_is_object(raw))
        return failf(r, "case file: a step must be an object");
    if (!check_keys(r, raw, "a step", keys))
        return false;
    json_t *st = subst(r, raw);
    if (!st)
        return false;
    bool ok;
    if (json_object_get(st, "forget")) {
        struct session *s = session_find(r, json_string_value(json_object_get(st, "forget")));
        if (s) {
            *s = r->sessions[r->n_sessions - 1];
            r->n_sessions--;
        }
        ok = true;
    } else if (json_object_get(st, "login")) {
        const char *user = json_string_value(json_object_get(st, "login"));
        const char *pw = json_string_value(json_object_get(st, "password"));
        ok = user ? do_login(r, user, pw ? pw : DEMO_PASSWORD, json_object_get(st, "expect"),
                             json_object_get(st, "save"))
                  : failf(r, "case file: \"login\" names a user");
    } else if (json_object_get(st, "restart")) {
        /* Stop the server (it must exit cleanly) and start it again on the same database,
         * with the clock the step names ("" for the real time). Sessions live in the database
         * and survive. */
        const char *clock = json_string_value(json_object_get(st, "restart"));
        snprintf(r->clock, sizeof(r->clock), "%s", clock ? clock : "");
        /* The kept-alive connection goes first, as at the end of a case. */
        curl_easy_cleanup(r->curl);
        r->curl = curl_easy_init();
        ok = server_stop(r) ? server_launch(r)
                            : failf(r, "the server did not stop cleanly for the restart");
        ok = ok && (r->curl != NULL || failf(r, "curl_easy_init failed"));
    } else if (json_object_get(st, "claim")) {
        ok = do_claim(r, st);
    } else if (json_object_get(st, "path")) {
        ok = do_request(r, st);
    } else {
        ok = json_object_get(st, "comment") != NULL ||
             failf(r, "case file: a step is a login, forget, claim or request (path)");
    }
    json_decref(st);
    return ok;
}

/* A one-line description of a step, for the report. */
static void describe(const json_t *st, char *out, size_t size)
{
    const char *comment = json_string_value(json_object_get(st, "comment"));
    const char *as = json_string_value(json_object_get(st, "as"));
    const char *until = json_string_value(json_object_get(st, "until"));
    const char *method = json_string_value(json_object_get(st, "method"));
    if (json_object_get(st, "login"))
        snprintf(out, size, "login %s", json_string_value(json_object_get(st, "login")));
    else if (json_object_get(st, "forget"))
        snprintf(out, size, "forget %s", json_string_value(json_object_get(st, "forget")));
    else if (json_object_get(st, "claim"))
        snprintf(out, size, "%s claims at %s%s%s", as ? as : "?",
                 json_string_value(json_object_get(st, "claim")), until ? " until " : "",
                 until ? until : "");
    else if (json_object_get(st, "path"))
        snprintf(out, size, "%s %s%s%s", method ? method : "GET",
                 json_string_value(json_object_get(st, "path")), as ? " as " : "", as ? as : "");
    else {
        snprintf(out, size, "%s", comment ? comment : "(nothing)");
        return;
    }
    if (comment) {
        size_t n = strlen(out);
        snprintf(out + n, size - n, " — %s", comment);
    }
}

/* ---- cases ---- */

static bool run_case(const char *jingyou, const char *path, const char *name, bool verbose,
                     bool keep)
{
    printf("# case %s (%s)\n", name, path);
    json_error_t jerr;
    json_t *c = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!c) {
        printf("not ok - %s: line %d: %s\n", path, jerr.line, jerr.text);
        return false;
    }
    const json_t *steps = json_object_get(c, "steps");
    if (!json_is_array(steps)) {
        printf("not ok - %s: no \"steps\" array\n", path);
        json_decref(c);
        return false;
    }
    /* "expect_failure" is read by selftest.sh. */
    static const char *const top[] = {"description",    "vars",  "probes", "steps",
                                      "expect_failure", "clock", NULL};
    const char *key;
    json_t *member;
    json_object_foreach(c, key, member)
    {
        (void)member;
        if (!key_allowed(key, top)) {
            printf("not ok - %s: unknown key \"%s\" in the case\n", path, key);
            json_decref(c);
            return false;
        }
    }

    struct runner *r = calloc(1, sizeof(*r));
    if (!r) {
        json_decref(c);
        return false;
    }
    r->jingyou = jingyou;
    r->verbose = verbose;
    r->started = time(NULL);
    const char *clock = json_string_value(json_object_get(c, "clock"));
    snprintf(r->clock, sizeof(r->clock), "%s", clock ? clock : "");
    snprintf(r->case_dir, sizeof(r->case_dir), "%s", path);
    char *slash = strrchr(r->case_dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(r->case_dir, sizeof(r->case_dir), ".");
    r->vars = json_object();
    const json_t *vars = json_object_get(c, "vars");
    if (vars) {
        /* Initial variables, in order; each may use the ones before it and the built-ins. */
        const char *k;
        json_t *v;
        json_object_foreach((json_t *)vars, k, v)
        {
            json_t *val = subst(r, v);
            if (val)
                json_object_set_new(r->vars, k, val);
        }
    }
    r->report.max = 16u * 1024 * 1024;
    json_t *probes = json_object_get(c, "probes");
    r->probes = probes ? probes : json_object();
    if (!probes)
        json_object_set_new(c, "probes", r->probes);
    r->curl = curl_easy_init();

    bool ok = r->curl != NULL && r->why[0] == '\0';
    const char *url = getenv("JY_API_URL");
    if (ok) {
        if (url && *url)
            snprintf(r->base, sizeof(r->base), "%s", url);
        else
            ok = server_start(r);
    }
    if (!ok)
        printf("not ok 0 - set up (variables, server): %s\n", r->why);

    size_t i;
    json_t *st;
    size_t passed = 0;
    json_array_foreach(steps, i, st)
    {
        if (!ok)
            break;
        char desc[600];
        json_t *shown = subst(r, st); /* best effort: with the variables known so far */
        describe(shown ? shown : st, desc, sizeof(desc));
        json_decref(shown);
        r->why[0] = '\0';
        r->report.len = 0;
        if (run_step(r, st)) {
            passed++;
            printf("ok %zu - %s\n", i + 1, desc);
        } else {
            printf("not ok %zu - %s\n  # %s\n", i + 1, desc, r->why);
            ok = false;
        }
        if ((!ok || verbose) && r->report.len)
            fputs(r->report.p, stdout);
    }

    curl_easy_cleanup(r->curl);
    bool stopped = server_stop(r);
    if (!stopped)
        ok = false;
    if (!ok && r->tmpdir[0]) {
        char log[PATH_BYTES];
        snprintf(log, sizeof(log), "%s/server.err", r->tmpdir);
        print_tail("server log (last lines)", log, LOG_TAIL_BYTES);
    }
    if (r->tmpdir[0]) {
        if (keep)
            printf("# kept %s\n", r->tmpdir);
        else
            remove_tree(r->tmpdir);
    }
    printf("# case %s: %s (%zu of %zu steps passed)\n", name, ok ? "passed" : "FAILED", passed,
           json_array_size(steps));
    json_decref(r->vars);
    buf_release(&r->report);
    free(r);
    json_decref(c);
    return ok;
}

static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, name, n) == 0)
            return true;
        p += len;
        if (*p == ',')
            p++;
    }
    return false;
}

int main(int argc, char **argv)
{
    const char *only = getenv("JY_API_ONLY");
    const char *v = getenv("JY_API_VERBOSE");
    const char *k = getenv("JY_API_KEEP");
    bool verbose = v && *v && strcmp(v, "0") != 0;
    bool keep = k && *k && strcmp(k, "0") != 0;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (strcmp(argv[i], "--keep") == 0)
            keep = true;
        else
            break;
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: api_runner [--only NAMES] [--verbose] [--keep] JINGYOU "
                        "CASE.json...\n");
        return 2;
    }
    char jingyou[PATH_MAX];
    if (!realpath(argv[i], jingyou)) {
        fprintf(stderr, "api_runner: %s: %s\n", argv[i], strerror(errno));
        return 2;
    }
    i++;
    /* A server that dies mid-request must not kill the runner. */
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "api_runner: libcurl failed to start\n");
        return 2;
    }
    int ran = 0, failed = 0, skipped = 0;
    for (; i < argc; i++) {
        char name[256];
        const char *base = strrchr(argv[i], '/');
        snprintf(name, sizeof(name), "%s", base ? base + 1 : argv[i]);
        char *dot = strrchr(name, '.');
        if (dot && strcmp(dot, ".json") == 0)
            *dot = '\0';
        if (only && *only && !listed(only, name)) {
            printf("# case %s skipped (not in the --only / JY_API_ONLY list)\n", name);
            skipped++;
            continue;
        }
        ran++;
        if (!run_case(jingyou, argv[i], name, verbose, keep))
            failed++;
        fflush(stdout);
    }
    curl_global_cleanup();
    if (failed)
        return 1;
    if (ran == 0 && skipped > 0)
        return 77;
    return 0;
}
