/*
 * fuzz_catalog.c — libFuzzer target for the catalog loader (src/core/catalog.c).
 *
 * Any bytes must either load into a catalog that keeps every promise of catalog.h, or fail with
 * an error whose message and field are ASCII and non-empty, leaving the output untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/catalog.h"

#include "../../src/banned.h"

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void check_type(const struct jy_catalog *cat, const struct jy_business_type *t)
{
    check(jy_catalog_find(cat, t->code, strlen(t->code)) == t);
    check(t->name_zh[0] != '\0' && t->name_en[0] != '\0');
    check(t->document_count <= JY_CATALOG_MAX_DOCUMENTS && t->fee_count <= JY_CATALOG_MAX_FEES &&
          t->route_len <= JY_CATALOG_MAX_ROUTE);
    for (size_t i = 0; i < t->document_count; i++)
        check(jy_business_type_find_document(t, t->documents[i].code,
                                             strlen(t->documents[i].code)) == &t->documents[i]);

    int64_t fen = -1;
    check(jy_business_type_total_fee(t, &fen, NULL) == JY_OK);
    check(fen >= 0 && fen <= (int64_t)JY_CATALOG_MAX_FEES * JY_CATALOG_MAX_FEE_FEN);

    /* walking the route visits each station once and ends where the route ends */
    enum jy_station st;
    bool has_first = jy_business_type_first_station(t, &st);
    check(has_first == (t->route_len > 0) && has_first == !t->counter_only);
    size_t visited = 0;
    bool last = false;
    while (has_first && !last) {
        check(st == t->route[visited]);
        visited++;
        check(visited <= t->route_len);
        check(jy_business_type_next_station(t, st, &st, &last, NULL) == JY_OK);
    }
    check(visited == t->route_len);

    bool ends_at_dispatch = t->route_len > 0 && t->route[t->route_len - 1] == JY_STATION_DISPATCH;
    check((t->delivery == JY_DELIVERY_EMS) == ends_at_dispatch);
    check(t->police_approval == (jy_business_type_route_index(t, JY_STATION_APPROVAL) >= 0));
    check(jy_catalog_category_code(t->category) && jy_catalog_output_code(t->output) &&
          jy_catalog_delivery_code(t->delivery));
}

static bool ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jy_catalog *sentinel = (struct jy_catalog *)&sentinel;
    struct jy_catalog *cat = sentinel;
    struct jy_error err;
    jy_error_clear(&err);
    enum jy_err rc = jy_catalog_load((const char *)data, size, &cat, &err);
    if (rc != JY_OK) {
        check(cat == sentinel);
        check(err.code == rc && err.reason[0] != '\0' && err.message[0] != '\0');
        check(ascii(err.message) && ascii(err.field));
        return 0;
    }
    size_t n = jy_catalog_count(cat);
    check(n >= 1 && n <= JY_CATALOG_MAX_TYPES);
    for (size_t i = 0; i < n; i++)
        check_type(cat, jy_catalog_at(cat, i));
    check(jy_catalog_at(cat, n) == NULL);
    for (int s = 0; s < JY__STATION_COUNT; s++)
        check(jy_catalog_station(cat, (enum jy_station)s)->name_zh[0] != '\0');
    jy_catalog_free(cat);
    return 0;
}
