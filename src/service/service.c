/*
 * service.c — the service context and actors: see service.h.
 */
#include "service.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "limits.h"
#include "service/broadcast.h"
#include "service/calendar.h"
#include "service/lockout.h"
#include "store/settings.h"
#include "store/writer.h"
#include "../banned.h"

extern const unsigned char jy_data_catalog_json[];
extern const size_t jy_data_catalog_json_len;
extern const unsigned char jy_data_holidays_csv[];
extern const size_t jy_data_holidays_csv_len;

struct jy_service {
    struct jy_store *store;
    struct jy_store_writer *writer; /* group commit; NULL with commit_per_request */
    struct jy_catalog *catalog;
    /* The calendar in force: the built-in one merged with the years loaded into the store
     * (service/calendar.h). A load swaps the pointer atomically; the calendar it replaces stays
     * allocated (on `retired`) until jy_service_close(), so a request that read the old pointer
     * a moment before keeps a valid calendar for as long as it runs — no reader takes a lock,
     * and a calendar is a few kilobytes, loaded a few times a year. */
    _Atomic(struct jy_calendar *) calendar;
    struct jy_calendar *builtin;   /* data/holidays.csv or config holidays_csv */
    pthread_mutex_t calendar_lock; /* guards `retired` and serialises installs */
    struct jy_retired_calendar {
        struct jy_retired_calendar *next;
        struct jy_calendar *cal;
    } * retired;
    char documents_dir[JY_STORE_PATH_MAX_BYTES + 1];
    char centre_code[8];
    bool demo;
    bool have_key;
    struct jy_receipt_key key; /* wiped at close */
    /* The public URL, in one of two buffers: jy_service_set_public_url() writes the other and
     * then publishes it, so that a request being answered meanwhile reads a whole URL. */
    char public_url[2][JY_RECEIPT_URL_MAX_BYTES + 1];
    _Atomic(const char *) public_url_now;
    int64_t clock_offset;         /* added to the real time: clock_start - the real time at open */
    _Atomic int64_t clock_pinned; /* jy_service_set_clock(): the time now; 0 when not pinned */
    struct jy_broadcast *hall_calls; /* the hall display's live stream (service/hall.h) */
    struct jy_lockout *logins;       /* failed logins per (username, address) (service/auth.c) */
};

static const char *const role_codes[JY__ROLE_COUNT] = {
    "clerk", "operator", "supervisor", "logistics", "manager", "admin",
};

const char *jy_role_code(enum jy_role role)
{
    if ((int)role < 0 || role >= JY__ROLE_COUNT)
        return "unknown";
    return role_codes[role];
}

bool jy_role_parse(const char *s, enum jy_role *ret)
{
    for (int i = 0; s && i < JY__ROLE_COUNT; i++) {
        if (strcmp(s, role_codes[i]) == 0) {
            *ret = (enum jy_role)i;
            return true;
        }
    }
    return false;
}

struct jy_actor jy_actor_system(void)
{
    struct jy_actor a;
    memset(&a, 0, sizeof(a));
    a.role = JY_ROLE_ADMIN;
    jy_strlcpy(a.username, "system", sizeof(a.username));
    jy_strlcpy(a.display_name, "系统", sizeof(a.display_name));
    return a;
}

bool jy_actor_at_station(const struct jy_actor *actor, enum jy_station station)
{
    if ((int)station < 0 || station >= JY__STATION_COUNT)
        return false;
    if (actor->role == JY_ROLE_OPERATOR)
        return (actor->stations & (1u << station)) != 0;
    if (actor->role == JY_ROLE_SUPERVISOR)
        return station == JY_STATION_APPROVAL;
    return false;
}

enum jy_err jy_stations_parse(const char *list, unsigned *ret, struct jy_error *err)
{
    unsigned mask = 0;
    const char *p = list ? list : "";
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        enum jy_station st;
        if (!jy_station_parse(p, n, &st))
            return jy_error_set(err, JY_INVALID, "unknown_station", "stations",
                                "unknown station '%.*s'", (int)(n > 32 ? 32 : n), p);
        mask |= 1u << st;
        p += n;
        if (*p == ',')
            p++;
    }
    *ret = mask;
    return JY_OK;
}

/* Make `path` a directory (mode 0700) if it is not one already, with its parents. */
static enum jy_err make_dirs(const char *path, struct jy_error *err)
{
    char buf[JY_STORE_PATH_MAX_BYTES + 1];
    jy_strlcpy(buf, path, sizeof(buf));
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return jy_error_set(err, JY_IO, "mkdir_failed", NULL, "cannot create %s: %s", buf,
                                strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return jy_error_set(err, JY_IO, "mkdir_failed", NULL, "cannot create %s: %s", buf,
                            strerror(errno));
    return JY_OK;
}

enum jy_err jy_service_open(const struct jy_service_config *cfg, struct jy_service **ret,
                            struct jy_error *err)
{
    const char *db = cfg->db_path ? cfg->db_path : JY_STORE_DEFAULT_PATH;
    struct jy_service *svc = calloc(1, sizeof(*svc));
    if (!svc)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    svc->demo = cfg->demo;
    pthread_mutex_init(&svc->calendar_lock, NULL);
    if (cfg->clock_start)
        svc->clock_offset = cfg->clock_start - (int64_t)time(NULL);
    enum jy_err e;

    if (cfg->documents_dir) {
        if (strlen(cfg->documents_dir) >= sizeof(svc->documents_dir)) {
            e = jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "documents path too long");
            goto fail;
        }
        jy_strlcpy(svc->documents_dir, cfg->documents_dir, sizeof(svc->documents_dir));
    } else {
        const char *slash = strrchr(db, '/');
        int dirlen = slash ? (int)(slash - db) : 1;
        int n = snprintf(svc->documents_dir, sizeof(svc->documents_dir), "%.*s/documents", dirlen,
                         slash ? db : ".");
        if (n < 0 || (size_t)n >= sizeof(svc->documents_dir)) {
            e = jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "documents path too long");
            goto fail;
        }
    }

    e = jy_service_set_public_url(svc, cfg->public_url ? cfg->public_url : "http://127.0.0.1:8080",
                                  err);
    if (e != JY_OK)
        goto fail;
    if (cfg->keys_dir) {
        e = jy_receipt_sign_keys_load(cfg->keys_dir, &svc->key, err);
        if (e != JY_OK)
            goto fail;
        svc->have_key = true;
    }

    e = jy_catalog_load((const char *)jy_data_catalog_json, jy_data_catalog_json_len, &svc->catalog,
                        err);
    if (e != JY_OK)
        goto fail;
    if (cfg->holidays_csv)
        e = jy_calendar_load_csv(cfg->holidays_csv, cfg->holidays_csv_len, &svc->builtin, err);
    else
        e = jy_calendar_load_csv((const char *)jy_data_holidays_csv, jy_data_holidays_csv_len,
                                 &svc->builtin, err);
    if (e != JY_OK)
        goto fail;
    e = jy_store_open(db, &svc->store, err);
    if (e != JY_OK)
        goto fail;
    e = make_dirs(svc->documents_dir, err);
    if (e != JY_OK)
        goto fail;
    if (!cfg->commit_per_request) {
        e = jy_store_writer_start(svc->store, &svc->writer, err);
        if (e != JY_OK)
            goto fail;
    }

    struct jy_store_conn *conn;
    e = jy_store_conn_get(svc->store, &conn, err);
    if (e != JY_OK)
        goto fail;
    struct jy_error ignored;
    if (jy_store_setting_get(conn, "centre_code", svc->centre_code, sizeof(svc->centre_code),
                             &ignored) != JY_OK)
        jy_strlcpy(svc->centre_code, "WH", sizeof(svc->centre_code));
    e = jy_calendar_years_reload(svc, err);
    if (e != JY_OK)
        goto fail;
    e = jy_broadcast_new(JY_HALL_STREAM_MAX_SUBSCRIBERS, JY_HALL_STREAM_QUEUE_BYTES,
                         JY_HALL_STREAM_HEARTBEAT_SECONDS, &svc->hall_calls, err);
    if (e != JY_OK)
        goto fail;
    if ((e = jy_lockout_new(JY_LOGIN_TRACK_ENTRIES, &svc->logins, err)) != JY_OK)
        goto fail;
    *ret = svc;
    return JY_OK;
fail:
    jy_service_close(svc);
    return e;
}

void jy_service_close(struct jy_service *svc)
{
    if (!svc)
        return;
    jy_store_writer_stop(svc->writer);
    jy_broadcast_free(svc->hall_calls);
    jy_lockout_free(svc->logins);
    jy_store_close(svc->store);
    jy_catalog_free(svc->catalog);
    struct jy_calendar *cal = atomic_load(&svc->calendar);
    if (cal != svc->builtin)
        jy_calendar_free(cal);
    jy_calendar_free(svc->builtin);
    for (struct jy_retired_calendar *r = svc->retired, *next; r; r = next) {
        next = r->next;
        if (r->cal != svc->builtin)
            jy_calendar_free(r->cal);
        free(r);
    }
    pthread_mutex_destroy(&svc->calendar_lock);
    jy_receipt_sign_key_clear(&svc->key);
    free(svc);
}

struct jy_store *jy_service_store(const struct jy_service *svc)
{
    return svc->store;
}

struct jy_store_writer *jy_service_writer(const struct jy_service *svc)
{
    return svc->writer;
}

enum jy_err jy_service_write(struct jy_service *svc, jy_store_work_fn fn, void *ctx,
                             struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    /* A store batch (the simulator) keeps its use cases on its own connection. */
    if (svc->writer && !jy_store_in_transaction(conn) && !jy_store_in_batch(conn))
        return jy_store_writer_run(svc->writer, fn, ctx, err);
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        return e;
    if ((e = fn(conn, ctx, err)) != JY_OK) {
        jy_store_rollback(conn);
        return e;
    }
    return jy_store_commit(conn, err);
}

const struct jy_catalog *jy_service_catalog(const struct jy_service *svc)
{
    return svc->catalog;
}

const struct jy_calendar *jy_service_calendar(const struct jy_service *svc)
{
    struct jy_calendar *cal = atomic_load(&((struct jy_service *)svc)->calendar);
    return cal ? cal : svc->builtin;
}

const struct jy_calendar *jy_service_calendar_builtin(const struct jy_service *svc)
{
    return svc->builtin;
}

enum jy_err jy_service_calendar_install(struct jy_service *svc, struct jy_calendar *cal,
                                        struct jy_error *err)
{
    struct jy_retired_calendar *r = malloc(sizeof(*r));
    if (!r) {
        if (cal != svc->builtin)
            jy_calendar_free(cal);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    pthread_mutex_lock(&svc->calendar_lock);
    r->cal = atomic_exchange(&svc->calendar, cal);
    r->next = svc->retired;
    if (r->cal)
        svc->retired = r;
    pthread_mutex_unlock(&svc->calendar_lock);
    if (!r->cal)
        free(r);
    return JY_OK;
}

const char *jy_service_documents_dir(const struct jy_service *svc)
{
    return svc->documents_dir;
}

bool jy_service_demo(const struct jy_service *svc)
{
    return svc->demo;
}

struct jy_lockout *jy_service_logins(const struct jy_service *svc)
{
    return svc->logins;
}

struct jy_broadcast *jy_service_hall_calls(const struct jy_service *svc)
{
    return svc->hall_calls;
}

const char *jy_service_centre_code(const struct jy_service *svc)
{
    return svc->centre_code;
}

int64_t jy_service_now(const struct jy_service *svc)
{
    int64_t pinned =
        atomic_load_explicit(&((struct jy_service *)svc)->clock_pinned, memory_order_relaxed);
    if (pinned)
        return pinned;
    return (int64_t)time(NULL) + svc->clock_offset;
}

void jy_service_set_clock(struct jy_service *svc, int64_t now)
{
    atomic_store_explicit(&svc->clock_pinned, now, memory_order_relaxed);
}

const struct jy_receipt_key *jy_service_receipt_key(const struct jy_service *svc)
{
    return svc->have_key ? &svc->key : NULL;
}

const char *jy_service_public_url(const struct jy_service *svc)
{
    return atomic_load_explicit(&((struct jy_service *)svc)->public_url_now, memory_order_acquire);
}

enum jy_err jy_service_set_public_url(struct jy_service *svc, const char *url, struct jy_error *err)
{
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    if (len == 0 || len > JY_SERVICE_PUBLIC_URL_MAX_BYTES)
        return jy_error_set(err, JY_INVALID, "bad_url", "public_url",
                            "the public URL must have 1..%d characters",
                            JY_SERVICE_PUBLIC_URL_MAX_BYTES);
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return jy_error_set(err, JY_INVALID, "bad_url", "public_url",
                            "the public URL starts with http:// or https://");
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)url[i];
        if (c <= 0x20 || c >= 0x7f || c == '#' || c == '?' || c == '"' || c == '<' || c == '>')
            return jy_error_set(err, JY_INVALID, "bad_url", "public_url",
                                "the public URL may hold printable ASCII only, without spaces, "
                                "'#' or '?'");
    }
    const char *now = jy_service_public_url(svc);
    char *next = now == svc->public_url[0] ? svc->public_url[1] : svc->public_url[0];
    memcpy(next, url, len);
    next[len] = '\0';
    atomic_store_explicit(&svc->public_url_now, next, memory_order_release);
    return JY_OK;
}

enum jy_err jy_service_keys_dir(const char *db_path, char *ret, size_t size, struct jy_error *err)
{
    const char *db = db_path ? db_path : JY_STORE_DEFAULT_PATH;
    const char *slash = strrchr(db, '/');
    int dirlen = slash ? (int)(slash - db) : 1;
    if (slash && dirlen == 0)
        dirlen = 1; /* "/x.db": the root directory */
    char buf[JY_STORE_PATH_MAX_BYTES + 1];
    int n = snprintf(buf, sizeof(buf), "%.*s%skeys", dirlen, slash ? db : ".",
                     slash && dirlen == 1 && db[0] == '/' ? "" : "/");
    if (n < 0 || (size_t)n >= sizeof(buf) || (size_t)n >= size)
        return jy_error_set(err, JY_TOO_LONG, "path_too_long", NULL, "key directory path too long");
    memcpy(ret, buf, (size_t)n + 1);
    return JY_OK;
}

enum jy_err jy_service_conn(const struct jy_service *svc, struct jy_store_conn **ret,
                            struct jy_error *err)
{
    return jy_store_conn_get(svc->store, ret, err);
}
