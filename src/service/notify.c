/*
 * notify.c — which event sends which message, and queueing it: see notify.h.
 */
#include "notify.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/appno.h"
#include "core/reasons.h"
#include "limits.h"
#include "store/workflow.h"
#include "../banned.h"

extern const unsigned char jy_data_notifications_json[];
extern const size_t jy_data_notifications_json_len;

/* ---- the templates, parsed once ---- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static json_t *templates; /* the "templates" object; NULL when the data does not parse */

static void load(void)
{
    json_error_t jerr;
    json_t *root = json_loadb((const char *)jy_data_notifications_json,
                              jy_data_notifications_json_len, 0, &jerr);
    json_t *t = root ? json_object_get(root, "templates") : NULL;
    if (json_is_object(t))
        templates = json_incref(t);
    json_decref(root);
}

static const char *template_text(const char *code, const char *lang)
{
    pthread_once(&once, load);
    json_t *t = templates ? json_object_get(templates, code) : NULL;
    return t ? json_string_value(json_object_get(t, lang)) : NULL;
}

static bool is(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* ---- filling a template ---- */

enum jy_err jy_notify_render(struct jy_service *svc, const char *code, const char *lang,
                             const struct jy_store_workflow *w, const char *reason,
                             const struct jy_notify_detail *detail, char *ret, size_t size,
                             struct jy_error *err)
{
    const char *text = template_text(code, lang);
    if (!text)
        return jy_error_set(err, JY_NOT_FOUND, "unknown_template", NULL,
                            "no message template %s in %s", code, lang);
    bool zh = is(lang, "zh");
    struct jy_appno no;
    char number[JY_APPNO_DISPLAY_SIZE];
    if (jy_appno_parse(w->number, strlen(w->number), &no, NULL) == JY_OK)
        jy_appno_display(&no, number);
    else
        jy_strlcpy(number, w->number, sizeof(number));
    const struct jy_business_type *type =
        jy_catalog_find(jy_service_catalog(svc), w->business_type, strlen(w->business_type));
    const struct jy_reason *r = reason ? jy_reason_any(reason) : NULL;
    const char *waybill = detail && detail->waybill ? detail->waybill : w->waybill;
    const struct {
        const char *name, *value;
    } vars[] = {
        {"number", number},
        {"business", type ? (zh ? type->name_zh : type->name_en) : w->business_type},
        {"due_date", w->due_date},
        {"reason", r ? (zh ? r->name_zh : r->name_en) : (reason ? reason : "")},
        {"waybill", waybill},
        {"location", detail && detail->location ? detail->location : ""},
        {"failure", detail && detail->failure && *detail->failure
                        ? detail->failure
                        : (zh ? "未说明原因" : "no reason given")},
    };
    size_t o = 0;
    for (const char *p = text; *p;) {
        const char *value = NULL;
        size_t skip = 0;
        if (*p == '{') {
            for (size_t k = 0; k < sizeof(vars) / sizeof(vars[0]); k++) {
                size_t n = strlen(vars[k].name);
                if (strncmp(p + 1, vars[k].name, n) == 0 && p[1 + n] == '}') {
                    value = vars[k].value;
                    skip = n + 2;
                    break;
                }
            }
        }
        if (!value) {
            value = p;
            skip = 1;
        }
        size_t n = value == p ? 1 : strlen(value);
        if (o + n >= size)
            return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                                "message %s does not fit in %zu bytes", code, size);
        memcpy(ret + o, value, n);
        o += n;
        p += skip;
    }
    ret[o] = '\0';
    return JY_OK;
}

/* ---- which event sends which message ---- */

/* The template event `ev` calls for, and the part of its dedupe key after the template. */
static const char *choose(const struct jy_event *ev, const char *reason_status, const char *waybill,
                          char *key, size_t size)
{
    const char *to = ev->to_state;
    if (reason_status && is(reason_status, "out_for_delivery")) {
        snprintf(key, size, "%s:%lld", waybill, (long long)ev->at);
        return "out_for_delivery";
    }
    if (!ev->from_state) {
        snprintf(key, size, "%lld", (long long)ev->application_id);
        return "accepted";
    }
    if (is(ev->from_state, to))
        return NULL; /* a custody hand-over: no message */
    if (is(to, "correction")) {
        snprintf(key, size, "%lld:%lld", (long long)ev->application_id, (long long)ev->at);
        return "correction";
    }
    if (is(to, "refused")) {
        snprintf(key, size, "%lld", (long long)ev->application_id);
        return "refused";
    }
    if (is(to, "shipped") && !is(ev->from_state, "delivery_failed")) {
        snprintf(key, size, "%s", waybill);
        return "shipped";
    }
    if (is(to, "delivered")) {
        snprintf(key, size, "%s", waybill);
        return "delivered";
    }
    if (is(to, "delivery_failed")) {
        snprintf(key, size, "%s:%lld", waybill, (long long)ev->at);
        return "delivery_failed";
    }
    if (is(to, "returned")) {
        snprintf(key, size, "%s", waybill);
        return "returned";
    }
    return NULL;
}

enum jy_err jy_notify_on_event(struct jy_service *svc, struct jy_store_conn *conn,
                               const struct jy_event *ev, const char *reason_status,
                               const struct jy_notify_detail *detail, struct jy_error *err)
{
    struct jy_store_workflow w;
    enum jy_err e = jy_store_workflow_by_id(conn, ev->application_id, &w, err);
    if (e != JY_OK)
        return e;
    const char *waybill = detail && detail->waybill ? detail->waybill : w.waybill;
    char tail[64];
    const char *code = choose(ev, reason_status, waybill, tail, sizeof(tail));
    if (!code)
        return JY_OK;
    struct jy_store_outbox *m = calloc(1, sizeof(*m));
    if (!m)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    if ((e = jy_store_application_mobile(conn, ev->application_id, m->mobile, err)) != JY_OK ||
        !m->mobile[0])
        goto out;
    if (!template_text(code, "zh")) {
        e = jy_error_set(err, JY_INTERNAL, "bad_templates", NULL,
                         "the built-in message templates have no %s", code);
        goto out;
    }
    m->application_id = ev->application_id;
    jy_strlcpy(m->template_code, code, sizeof(m->template_code));
    snprintf(m->dedupe_key, sizeof(m->dedupe_key), "%s:%s", code, tail);
    if ((e = jy_notify_render(svc, code, "zh", &w, ev->reason, detail, m->body_zh,
                              sizeof(m->body_zh), err)) != JY_OK ||
        (e = jy_notify_render(svc, code, "en", &w, ev->reason, detail, m->body_en,
                              sizeof(m->body_en), err)) != JY_OK)
        goto out;
    /* Due at once: the sender's clock is the real one (attempt times are milliseconds of real
     * time, see outbox.h), so 0 is "now" whatever the service's clock says. */
    m->next_ms = 0;
    m->created_at = jy_service_now(svc);
    bool inserted = false;
    e = jy_store_outbox_insert(conn, m, &inserted, err);
out:
    free(m);
    return e;
}
