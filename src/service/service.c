/*
 * service.c — the service context and actors: see service.h.
 */
#include "service.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "limits.h"
#include "store/settings.h"
#include "../banned.h"

extern const unsigned char jy_data_catalog_json[];
extern const size_t jy_data_catalog_json_len;
extern const unsigned char jy_data_holidays_csv[];
extern const size_t jy_data_holidays_csv_len;

struct jy_service {
    struct jy_store *store;
    struct jy_catalog *catalog;
    struct jy_calendar *calendar;
    char documents_dir[JY_STORE_PATH_MAX_BYTES + 1];
    char centre_code[8];
    bool demo;
    int64_t clock_offset; /* added to the real time: clock_start - the real time at open */
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

    e = jy_catalog_load((const char *)jy_data_catalog_json, jy_data_catalog_json_len, &svc->catalog,
                        err);
    if (e != JY_OK)
        goto fail;
    if (cfg->holidays_csv)
        e = jy_calendar_load_csv(cfg->holidays_csv, cfg->holidays_csv_len, &svc->calendar, err);
    else
        e = jy_calendar_load_csv((const char *)jy_data_holidays_csv, jy_data_holidays_csv_len,
                                 &svc->calendar, err);
    if (e != JY_OK)
        goto fail;
    e = jy_store_open(db, &svc->store, err);
    if (e != JY_OK)
        goto fail;
    e = make_dirs(svc->documents_dir, err);
    if (e != JY_OK)
        goto fail;

    struct jy_store_conn *conn;
    e = jy_store_conn_get(svc->store, &conn, err);
    if (e != JY_OK)
        goto fail;
    struct jy_error ignored;
    if (jy_store_setting_get(conn, "centre_code", svc->centre_code, sizeof(svc->centre_code),
                             &ignored) != JY_OK)
        jy_strlcpy(svc->centre_code, "WH", sizeof(svc->centre_code));
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
    jy_store_close(svc->store);
    jy_catalog_free(svc->catalog);
    jy_calendar_free(svc->calendar);
    free(svc);
}

struct jy_store *jy_service_store(const struct jy_service *svc)
{
    return svc->store;
}

const struct jy_catalog *jy_service_catalog(const struct jy_service *svc)
{
    return svc->catalog;
}

const struct jy_calendar *jy_service_calendar(const struct jy_service *svc)
{
    return svc->calendar;
}

const char *jy_service_documents_dir(const struct jy_service *svc)
{
    return svc->documents_dir;
}

bool jy_service_demo(const struct jy_service *svc)
{
    return svc->demo;
}

const char *jy_service_centre_code(const struct jy_service *svc)
{
    return svc->centre_code;
}

int64_t jy_service_now(const struct jy_service *svc)
{
    return (int64_t)time(NULL) + svc->clock_offset;
}

enum jy_err jy_service_conn(const struct jy_service *svc, struct jy_store_conn **ret,
                            struct jy_error *err)
{
    return jy_store_conn_get(svc->store, ret, err);
}
