/*
 * outbox.c — the sender of text messages: see outbox.h.
 */
#include "outbox.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mobile.h"
#include "core/timestamp.h"
#include "limits.h"
#include "service/workflow.h"
#include "../banned.h"

static int64_t real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- one post ---- */

/* Throw the gateway's answer away. */
static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* Post `m` to `url`. True when the gateway took it; else `why` says what went wrong. */
static bool post(const char *url, const struct jy_store_outbox *m, char *why, size_t size)
{
    json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)m->id, "to",
                             m->mobile, "text", m->body_zh, "text_en", m->body_en, "template",
                             m->template_code, "application", m->number);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        snprintf(why, size, "out of memory");
        return false;
    }
    bool ok = false;
    CURL *c = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (!c || !headers) {
        snprintf(why, size, "libcurl could not start");
        goto out;
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)JY_OUTBOX_POST_TIMEOUT_SECONDS);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (rc != CURLE_OK)
        snprintf(why, size, "%s", curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        snprintf(why, size, "the gateway answered %ld", status);
    else
        ok = true;
out:
    curl_slist_free_all(headers);
    if (c)
        curl_easy_cleanup(c);
    free(text);
    return ok;
}

/* One line of JSON about an attempt, the mobile masked. */
static void log_attempt(const struct jy_store_outbox *m, const char *state, int64_t attempts,
                        const char *why)
{
    char masked[JY_MOBILE_SIZE];
    jy_mobile_mask(m->mobile, masked);
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *line =
        json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:s?}", "time", when, "outbox", "attempt",
                  "id", (json_int_t)m->id, "template", m->template_code, "to", masked, "state",
                  state, "attempts", (json_int_t)attempts, "error", why);
    char *text = line ? json_dumps(line, JSON_COMPACT) : NULL;
    if (text) {
        fprintf(stderr, "%s\n", text);
        fflush(stderr);
    }
    free(text);
    json_decref(line);
}

static int64_t backoff_of(const struct jy_outbox_config *cfg, int64_t failures)
{
    int64_t wait = cfg->backoff_ms > 0 ? cfg->backoff_ms : JY_OUTBOX_BACKOFF_MS;
    for (int64_t i = 1; i < failures && wait < JY_OUTBOX_BACKOFF_MAX_MS; i++)
        wait *= 2;
    return wait < JY_OUTBOX_BACKOFF_MAX_MS ? wait : JY_OUTBOX_BACKOFF_MAX_MS;
}

/* One round; `stopping` (may be NULL) is asked before each post and ends the round early. */
static enum jy_err send_round(struct jy_service *svc, const struct jy_outbox_config *cfg,
                              bool (*stopping)(void *ctx), void *ctx, int *ret_posted,
                              struct jy_error *err)
{
    int posted = 0;
    if (ret_posted)
        *ret_posted = 0;
    if (!cfg->url || !*cfg->url)
        return JY_OK;
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t max = cfg->max_attempts > 0 ? cfg->max_attempts : JY_OUTBOX_MAX_ATTEMPTS;
    int64_t start = real_ms();
    struct jy_store_outbox *m = malloc(sizeof(*m));
    if (!m)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    /* A round posts at most JY_OUTBOX_ROUND_MAX messages, so that a stop request is seen
     * between rounds even when many are due and the gateway is slow. */
    while (posted < JY_OUTBOX_ROUND_MAX && !(stopping && stopping(ctx))) {
        struct jy_error local;
        e = jy_store_outbox_next_due(conn, start, m, &local);
        if (e == JY_NOT_FOUND) {
            e = JY_OK;
            break;
        }
        if (e != JY_OK) {
            if (err)
                *err = local;
            break;
        }
        char why[JY_OUTBOX_ERROR_SIZE] = "";
        bool ok = post(cfg->url, m, why, sizeof(why));
        int64_t attempts = m->attempts + 1;
        const char *state = ok                ? JY_OUTBOX_SENT
                            : attempts >= max ? JY_OUTBOX_DEAD
                                              : JY_OUTBOX_QUEUED;
        int64_t next = ok || attempts >= max ? m->next_ms : real_ms() + backoff_of(cfg, attempts);
        if ((e = jy_store_outbox_record(conn, m->id, state, attempts, next, ok ? NULL : why,
                                        ok ? real_ms() / 1000 : 0, err)) != JY_OK)
            break;
        log_attempt(m, state, attempts, ok ? NULL : why);
        posted++;
    }
    free(m);
    if (ret_posted)
        *ret_posted = posted;
    return e;
}

enum jy_err jy_outbox_send_due(struct jy_service *svc, const struct jy_outbox_config *cfg,
                               int *ret_posted, struct jy_error *err)
{
    return send_round(svc, cfg, NULL, NULL, ret_posted, err);
}

/* ---- the thread ---- */

struct jy_outbox_sender {
    struct jy_service *svc;
    struct jy_outbox_config cfg;
    char *url;
    pthread_t thread;
    bool running;
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

static bool stopping(void *ctx)
{
    struct jy_outbox_sender *s = ctx;
    pthread_mutex_lock(&s->mu);
    bool stop = s->stop;
    pthread_mutex_unlock(&s->mu);
    return stop;
}

static void *run(void *arg)
{
    struct jy_outbox_sender *s = arg;
    int64_t idle = s->cfg.idle_ms > 0 ? s->cfg.idle_ms : JY_OUTBOX_IDLE_MS;
    struct jy_store_conn *conn = NULL;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        bool stop = s->stop;
        pthread_mutex_unlock(&s->mu);
        if (stop)
            break;
        struct jy_error err;
        jy_error_clear(&err);
        int posted = 0;
        if (send_round(s->svc, &s->cfg, stopping, s, &posted, &err) != JY_OK)
            fprintf(stderr, "{\"outbox\":\"error\",\"message\":\"%s\"}\n",
                    err.reason[0] ? err.reason : "store");
        if (posted >= JY_OUTBOX_ROUND_MAX)
            continue; /* more may be due: the next round at once (the stop flag first) */
        int64_t next = 0, now = real_ms(), wait = idle;
        if (!conn)
            jy_service_conn(s->svc, &conn, NULL);
        if (conn && jy_store_outbox_next_time(conn, &next, NULL) == JY_OK && next > 0) {
            int64_t d = next - now;
            if (d < wait)
                wait = d < 5 ? 5 : d;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        int64_t ns = until.tv_nsec + (wait % 1000) * 1000000;
        until.tv_sec += (time_t)(wait / 1000 + ns / 1000000000);
        until.tv_nsec = (long)(ns % 1000000000);
        pthread_mutex_lock(&s->mu);
        if (!s->stop)
            pthread_cond_timedwait(&s->cv, &s->mu, &until);
        pthread_mutex_unlock(&s->mu);
    }
    return NULL;
}

enum jy_err jy_outbox_sender_start(struct jy_service *svc, const struct jy_outbox_config *cfg,
                                   struct jy_outbox_sender **ret, struct jy_error *err)
{
    const char *url = cfg && cfg->url ? cfg->url : "";
    if (*url && strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return jy_error_set(err, JY_INVALID, "bad_url", "sms_url",
                            "the SMS gateway URL must start with http:// or https://");
    struct jy_outbox_sender *s = calloc(1, sizeof(*s));
    if (!s)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    s->svc = svc;
    if (cfg)
        s->cfg = *cfg;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    if (*url) {
        s->url = strdup(url);
        if (!s->url) {
            jy_outbox_sender_stop(s);
            return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        }
        s->cfg.url = s->url;
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            jy_outbox_sender_stop(s);
            return jy_error_set(err, JY_INTERNAL, NULL, NULL, "libcurl could not start");
        }
        if (pthread_create(&s->thread, NULL, run, s) != 0) {
            curl_global_cleanup();
            jy_outbox_sender_stop(s);
            return jy_error_set(err, JY_INTERNAL, NULL, NULL, "cannot start the sender thread");
        }
        s->running = true;
    }
    *ret = s;
    return JY_OK;
}

void jy_outbox_sender_stop(struct jy_outbox_sender *s)
{
    if (!s)
        return;
    if (s->running) {
        pthread_mutex_lock(&s->mu);
        s->stop = true;
        pthread_cond_signal(&s->cv);
        pthread_mutex_unlock(&s->mu);
        pthread_join(s->thread, NULL);
        curl_global_cleanup();
    }
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    free(s->url);
    free(s);
}

/* ---- figures and the list ---- */

enum jy_err jy_outbox_depth(struct jy_service *svc, int64_t *ret, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    int64_t counts[3];
    if (e == JY_OK && (e = jy_store_outbox_counts(conn, counts, err)) == JY_OK)
        *ret = counts[0];
    return e;
}

enum jy_err jy_outbox_list(struct jy_service *svc, const struct jy_actor *actor, const char *state,
                           const char *number, size_t limit, struct jy_outbox_counts *ret_counts,
                           bool (*fn)(void *ctx, const struct jy_store_outbox *m), void *ctx,
                           struct jy_error *err)
{
    if (actor->role != JY_ROLE_MANAGER && actor->role != JY_ROLE_ADMIN)
        return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                            "only a manager or an admin reads the outbox");
    if (state && *state && strcmp(state, JY_OUTBOX_QUEUED) != 0 &&
        strcmp(state, JY_OUTBOX_SENT) != 0 && strcmp(state, JY_OUTBOX_DEAD) != 0)
        return jy_error_set(err, JY_UNPROCESSABLE, "unknown_state", "state",
                            "state is one of queued, sent, dead");
    if (limit < 1 || limit > JY_CARRIER_LIST_MAX)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit is 1..%d",
                            JY_CARRIER_LIST_MAX);
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    int64_t app = 0;
    if (number && *number) {
        char compact[JY_WORKFLOW_NUMBER_SIZE];
        struct jy_store_workflow w;
        if ((e = jy_workflow_number(number, compact, err)) != JY_OK ||
            (e = jy_store_workflow_by_number(conn, compact, &w, err)) != JY_OK)
            return e;
        app = w.id;
    }
    int64_t counts[3];
    if ((e = jy_store_outbox_counts(conn, counts, err)) != JY_OK)
        return e;
    ret_counts->queued = counts[0];
    ret_counts->sent = counts[1];
    ret_counts->dead = counts[2];
    return jy_store_outbox_list(conn, state && *state ? state : NULL, app, 0, limit, fn, ctx, err);
}
