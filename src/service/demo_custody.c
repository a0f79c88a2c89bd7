/*
 * demo_custody.c — the demo city's bags, receptions, dispatch batch and EMS range: see demo.h.
 */
#include "demo.h"

#include <string.h>

#include "service/auth.h"
#include "service/custody.h"
#include "store/custody.h"
#include "store/users.h"
#include "../banned.h"

enum jy_err jy_demo_s10_range(struct jy_service *svc, struct jy_store_conn *conn,
                              struct jy_error *err)
{
    struct jy_s10_range r = {"EA", "CN", 10000000, 10099999, 10000000};
    int64_t id;
    return jy_store_s10_add(conn, &r, jy_service_now(svc), 0, &id, err);
}

/* The numbers of a bag's files, as many as the demo has. */
enum { DEMO_BAG_MAX = 64 };
struct bag_numbers {
    char v[DEMO_BAG_MAX][JY_WORKFLOW_NUMBER_SIZE];
    size_t n;
};

static bool collect(void *ctx, const struct jy_store_handover_item *it)
{
    struct bag_numbers *b = ctx;
    if (b->n == DEMO_BAG_MAX)
        return false;
    jy_strlcpy(b->v[b->n++], it->number, sizeof(b->v[0]));
    return true;
}

/* Receive bag `seal` at the centre, every file but the first when `skip_first`. */
static enum jy_err receive(struct jy_service *svc, const struct jy_actor *logistics,
                           const char *seal, bool skip_first, struct jy_error *err)
{
    struct jy_store_handover h;
    enum jy_err e = jy_custody_reception_open(svc, logistics, seal, &h, err);
    if (e != JY_OK)
        return e;
    /* The scans write, so the files are listed first and scanned after. */
    static struct bag_numbers b; /* seeding runs on one thread, once */
    b.n = 0;
    if ((e = jy_custody_get(svc, logistics, JY_CUSTODY_BAG, seal, &h, collect, &b, err)) != JY_OK)
        return e;
    for (size_t i = skip_first ? 1 : 0; i < b.n; i++) {
        struct jy_custody_scan_result r;
        if ((e = jy_custody_scan(svc, logistics, JY_CUSTODY_BAG, seal, b.v[i], &r, err)) != JY_OK)
            return e;
    }
    return jy_custody_reception_close(svc, logistics, JY_CUSTODY_BAG, seal, &h, err);
}

enum jy_err jy_demo_custody(struct jy_service *svc, struct jy_error *err)
{
    struct jy_store_conn *conn;
    enum jy_err e = jy_service_conn(svc, &conn, err);
    if (e != JY_OK)
        return e;
    /* Every demo clerk closes its branch's bag. */
    static const char *const clerks[] = {"clerk", "clerk2", "clerk3", "clerk4", "clerk5", "clerk6"};
    struct jy_actor logistics, dispatch;
    if ((e = jy_auth_actor_of(conn, "logistics", &logistics, err)) != JY_OK ||
        (e = jy_auth_actor_of(conn, "dispatch", &dispatch, err)) != JY_OK)
        return e;
    int64_t now = jy_service_now(svc);
    char seals[sizeof(clerks) / sizeof(clerks[0])][JY_CUSTODY_REF_SIZE];
    memset(seals, 0, sizeof(seals));
    for (size_t i = 0; i < sizeof(clerks) / sizeof(clerks[0]); i++) {
        struct jy_actor clerk;
        struct jy_store_handover h;
        struct jy_error d;
        if ((e = jy_auth_actor_of(conn, clerks[i], &clerk, err)) != JY_OK)
            return e;
        e = jy_custody_bag_close_at(svc, &clerk, clerk.branch_id, now + 1, now, &h, &d);
        if (e == JY_UNPROCESSABLE || e == JY_CONFLICT)
            continue; /* nothing accepted there */
        if (e != JY_OK) {
            if (err)
                *err = d;
            return e;
        }
        jy_strlcpy(seals[i], h.reference, sizeof(seals[i]));
    }
    /* The first bag arrives whole; from the second, one file goes missing; the others are
     * still on the van. */
    if (seals[0][0] && (e = receive(svc, &logistics, seals[0], false, err)) != JY_OK)
        return e;
    if (seals[1][0] && (e = receive(svc, &logistics, seals[1], true, err)) != JY_OK)
        return e;
    /* The sealed envelopes leave in one batch. */
    struct jy_store_handover h;
    struct jy_error d;
    e = jy_custody_batch_close(svc, &dispatch, &h, &d);
    if (e == JY_UNPROCESSABLE || e == JY_CONFLICT)
        return JY_OK;
    if (e != JY_OK && err)
        *err = d;
    return e;
}
