/*
 * applications.c — applications, events read back, idempotency keys and documents: see
 * applications.h.
 *
 * The fee items and the document checklist are kept as JSON text (fees_json, documents_json:
 * the schema checks json_valid) and turned into the record's fixed arrays here, so that no
 * caller sees the storage format.
 */
#include "applications.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "rows.h"
#include "../banned.h"

/* ---- small helpers ---- */

/* Bind `v`, or NULL when it is 0. */
static int bind_id_or_null(sqlite3_stmt *st, int i, int64_t v)
{
    if (v == 0)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_int64(st, i, v);
}

static enum jy_err code_of(const struct jy_error *err)
{
    return err ? err->code : JY_INTERNAL;
}

/* True when `buf` holds a NUL within its `size` bytes. */
#define FITS(buf) (strnlen((buf), sizeof(buf)) < sizeof(buf))

static enum jy_err need_transaction(struct jy_store_conn *conn, struct jy_error *err)
{
    if (!jy_store_in_transaction(conn))
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL,
                            "a write runs inside the use case's transaction");
    return JY_OK;
}

/* ---- applications: writing ---- */

static const char insert_sql[] =
    "INSERT INTO applications (number, business_type, branch_id, clerk_id, state, station,"
    " applicant_name, applicant_id_type, applicant_id_number, applicant_mobile, owner_uscc,"
    " vehicle_plate, vehicle_plate_type, vehicle_vin, licence_number, licence_class,"
    " licence_expiry, delivery_recipient, delivery_mobile, delivery_address, delivery_postcode,"
    " fees_json, fee_total_fen, documents_json, accepted_at, due_date, lease_user_id,"
    " lease_expires_at, waybill, correction_reason, version, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
    " ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32)";

/* Check that every string of `a` the insert writes is terminated within its buffer. */
static enum jy_err check_strings(const struct jy_store_application *a, struct jy_error *err)
{
    static const char *const names[] = {
        "number",
        "business_type",
        "state",
        "station",
        "applicant_name",
        "applicant_id_type",
        "applicant_id_number",
        "applicant_mobile",
        "owner_uscc",
        "vehicle_plate",
        "vehicle_plate_type",
        "vehicle_vin",
        "licence_number",
        "licence_class",
        "licence_expiry",
        "delivery_recipient",
        "delivery_mobile",
        "delivery_address",
        "delivery_postcode",
        "due_date",
        "waybill",
        "correction_reason",
    };
    const bool ok[] = {
        FITS(a->number),
        FITS(a->business_type),
        FITS(a->state),
        FITS(a->station),
        FITS(a->applicant_name),
        FITS(a->applicant_id_type),
        FITS(a->applicant_id_number),
        FITS(a->applicant_mobile),
        FITS(a->owner_uscc),
        FITS(a->vehicle_plate),
        FITS(a->vehicle_plate_type),
        FITS(a->vehicle_vin),
        FITS(a->licence_number),
        FITS(a->licence_class),
        FITS(a->licence_expiry),
        FITS(a->delivery_recipient),
        FITS(a->delivery_mobile),
        FITS(a->delivery_address),
        FITS(a->delivery_postcode),
        FITS(a->due_date),
        FITS(a->waybill),
        FITS(a->correction_reason),
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (!ok[i])
            return jy_error_set(err, JY_TOO_LONG, "too_long", names[i],
                                "%s is not terminated within its buffer", names[i]);
    if (a->fee_count > JY_CATALOG_MAX_FEES || a->document_count > JY_CATALOG_MAX_DOCUMENTS)
        return jy_error_set(err, JY_INVALID, "too_many_items", NULL,
                            "more fees or documents than a record holds");
    for (size_t i = 0; i < a->fee_count; i++)
        if (!FITS(a->fees[i].code) || !FITS(a->fees[i].name))
            return jy_error_set(err, JY_TOO_LONG, "too_long", "fees", "fee text too long");
    for (size_t i = 0; i < a->document_count; i++)
        if (!FITS(a->documents[i]))
            return jy_error_set(err, JY_TOO_LONG, "too_long", "documents",
                                "document code too long");
    return JY_OK;
}

/* The fees and documents of `a` as compact JSON text (malloc'd, caller frees). */
static enum jy_err encode_lists(const struct jy_store_application *a, char **ret_fees,
                                char **ret_docs, struct jy_error *err)
{
    json_t *fees = json_array(), *docs = json_array();
    char *f = NULL, *d = NULL;
    bool ok = fees && docs;
    for (size_t i = 0; ok && i < a->fee_count; i++)
        ok = json_array_append_new(fees, json_pack("{s:s, s:s, s:I}", "code", a->fees[i].code,
                                                   "name", a->fees[i].name, "amount_fen",
                                                   (json_int_t)a->fees[i].amount_fen)) == 0;
    for (size_t i = 0; ok && i < a->document_count; i++)
        ok = json_array_append_new(docs, json_string(a->documents[i])) == 0;
    if (ok) {
        f = json_dumps(fees, JSON_COMPACT);
        d = json_dumps(docs, JSON_COMPACT);
        ok = f && d;
    }
    json_decref(fees);
    json_decref(docs);
    if (!ok) {
        free(f);
        free(d);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory encoding fees");
    }
    *ret_fees = f;
    *ret_docs = d;
    return JY_OK;
}

enum jy_err jy_store_application_insert(struct jy_store_conn *conn,
                                        const struct jy_store_application *a, int64_t *ret_id,
                                        struct jy_error *err)
{
    enum jy_err e = need_transaction(conn, err);
    if (e == JY_OK)
        e = check_strings(a, err);
    if (e != JY_OK)
        return e;
    char *fees = NULL, *docs = NULL;
    e = encode_lists(a, &fees, &docs, err);
    if (e != JY_OK)
        return e;
    sqlite3_stmt *st = jy_store_stmt(conn, insert_sql, err);
    if (!st) {
        e = code_of(err);
        goto out;
    }
    sqlite3_bind_text(st, 1, a->number, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->business_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, a->branch_id);
    sqlite3_bind_int64(st, 4, a->clerk_id);
    sqlite3_bind_text(st, 5, a->state, -1, SQLITE_STATIC);
    jy__store_bind_text_or_null(st, 6, a->station);
    jy__store_bind_text_or_null(st, 7, a->applicant_name);
    jy__store_bind_text_or_null(st, 8, a->applicant_id_type);
    jy__store_bind_text_or_null(st, 9, a->applicant_id_number);
    jy__store_bind_text_or_null(st, 10, a->applicant_mobile);
    jy__store_bind_text_or_null(st, 11, a->owner_uscc);
    jy__store_bind_text_or_null(st, 12, a->vehicle_plate);
    jy__store_bind_text_or_null(st, 13, a->vehicle_plate_type);
    jy__store_bind_text_or_null(st, 14, a->vehicle_vin);
    jy__store_bind_text_or_null(st, 15, a->licence_number);
    jy__store_bind_text_or_null(st, 16, a->licence_class);
    jy__store_bind_text_or_null(st, 17, a->licence_expiry);
    jy__store_bind_text_or_null(st, 18, a->delivery_recipient);
    jy__store_bind_text_or_null(st, 19, a->delivery_mobile);
    jy__store_bind_text_or_null(st, 20, a->delivery_address);
    jy__store_bind_text_or_null(st, 21, a->delivery_postcode);
    sqlite3_bind_text(st, 22, fees, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 23, a->fee_total_fen);
    sqlite3_bind_text(st, 24, docs, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 25, a->accepted_at);
    sqlite3_bind_text(st, 26, a->due_date, -1, SQLITE_STATIC);
    bind_id_or_null(st, 27, a->lease_user_id);
    if (a->lease_user_id)
        sqlite3_bind_int64(st, 28, a->lease_expires_at);
    jy__store_bind_text_or_null(st, 29, a->waybill);
    jy__store_bind_text_or_null(st, 30, a->correction_reason);
    sqlite3_bind_int64(st, 31, a->version > 0 ? a->version : 1);
    sqlite3_bind_int64(st, 32, a->updated_at);
    e = jy__store_step_done(conn, st, err);
    sqlite3_clear_bindings(st);
    if (e == JY_OK)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
out:
    free(fees);
    free(docs);
    return e;
}

/* ---- applications: reading ---- */

#define APP_SELECT                                                                                 \
    "SELECT a.id, a.number, a.business_type, a.branch_id, b.code, b.name_zh, a.clerk_id,"          \
    " u.username, a.state, a.station, a.applicant_name, a.applicant_id_type,"                      \
    " a.applicant_id_number, a.applicant_mobile, a.owner_uscc, a.vehicle_plate,"                   \
    " a.vehicle_plate_type, a.vehicle_vin, a.licence_number, a.licence_class, a.licence_expiry,"   \
    " a.delivery_recipient, a.delivery_mobile, a.delivery_address, a.delivery_postcode,"           \
    " a.fees_json, a.fee_total_fen, a.documents_json, a.accepted_at, a.due_date,"                  \
    " a.lease_user_id, l.username, a.lease_expires_at, a.waybill, a.correction_reason,"            \
    " CASE WHEN a.state = 'correction' THEN (SELECT e.note FROM events e"                          \
    "   WHERE e.application_id = a.id AND e.to_state = 'correction'"                               \
    "   AND e.from_state IS NOT 'correction'"                                                      \
    "   ORDER BY e.id DESC LIMIT 1) END,"                                                          \
    " a.version, a.updated_at"                                                                     \
    " FROM applications a JOIN branches b ON b.id = a.branch_id"                                   \
    " JOIN users u ON u.id = a.clerk_id LEFT JOIN users l ON l.id = a.lease_user_id"

/* Decode fees_json into the record. False when it is not the shape this program writes. */
static bool decode_fees(const char *text, size_t len, struct jy_store_application *a)
{
    json_t *arr = json_loadb(text, len, 0, NULL);
    bool ok = json_is_array(arr) && json_array_size(arr) <= JY_CATALOG_MAX_FEES;
    size_t i;
    json_t *v;
    if (ok) {
        json_array_foreach(arr, i, v)
        {
            json_t *code = json_object_get(v, "code"), *name = json_object_get(v, "name"),
                   *amount = json_object_get(v, "amount_fen");
            if (!json_is_string(code) || !json_is_string(name) || !json_is_integer(amount) ||
                json_string_length(code) >= sizeof(a->fees[i].code) ||
                json_string_length(name) >= sizeof(a->fees[i].name)) {
                ok = false;
                break;
            }
            jy_strlcpy(a->fees[i].code, json_string_value(code), sizeof(a->fees[i].code));
            jy_strlcpy(a->fees[i].name, json_string_value(name), sizeof(a->fees[i].name));
            a->fees[i].amount_fen = json_integer_value(amount);
        }
        a->fee_count = ok ? json_array_size(arr) : 0;
    }
    json_decref(arr);
    return ok;
}

/* Decode documents_json into the record. */
static bool decode_documents(const char *text, size_t len, struct jy_store_application *a)
{
    json_t *arr = json_loadb(text, len, 0, NULL);
    bool ok = json_is_array(arr) && json_array_size(arr) <= JY_CATALOG_MAX_DOCUMENTS;
    size_t i;
    json_t *v;
    if (ok) {
        json_array_foreach(arr, i, v)
        {
            if (!json_is_string(v) || json_string_length(v) >= sizeof(a->documents[i])) {
                ok = false;
                break;
            }
            jy_strlcpy(a->documents[i], json_string_value(v), sizeof(a->documents[i]));
        }
        a->document_count = ok ? json_array_size(arr) : 0;
    }
    json_decref(arr);
    return ok;
}

/* Read one APP_SELECT row into `*a`. False when a stored value does not fit. */
static bool read_app(sqlite3_stmt *st, struct jy_store_application *a)
{
    a->id = sqlite3_column_int64(st, 0);
    a->branch_id = sqlite3_column_int64(st, 3);
    a->clerk_id = sqlite3_column_int64(st, 6);
    a->fee_total_fen = sqlite3_column_int64(st, 26);
    a->accepted_at = sqlite3_column_int64(st, 28);
    a->lease_user_id = sqlite3_column_int64(st, 30);
    a->lease_expires_at = sqlite3_column_int64(st, 32);
    a->version = sqlite3_column_int64(st, 36);
    a->updated_at = sqlite3_column_int64(st, 37);
    bool ok =
        jy__store_column_text(st, 1, a->number, sizeof(a->number)) &&
        jy__store_column_text(st, 2, a->business_type, sizeof(a->business_type)) &&
        jy__store_column_text(st, 4, a->branch_code, sizeof(a->branch_code)) &&
        jy__store_column_text(st, 5, a->branch_name_zh, sizeof(a->branch_name_zh)) &&
        jy__store_column_text(st, 7, a->clerk_username, sizeof(a->clerk_username)) &&
        jy__store_column_text(st, 8, a->state, sizeof(a->state)) &&
        jy__store_column_text(st, 9, a->station, sizeof(a->station)) &&
        jy__store_column_text(st, 10, a->applicant_name, sizeof(a->applicant_name)) &&
        jy__store_column_text(st, 11, a->applicant_id_type, sizeof(a->applicant_id_type)) &&
        jy__store_column_text(st, 12, a->applicant_id_number, sizeof(a->applicant_id_number)) &&
        jy__store_column_text(st, 13, a->applicant_mobile, sizeof(a->applicant_mobile)) &&
        jy__store_column_text(st, 14, a->owner_uscc, sizeof(a->owner_uscc)) &&
        jy__store_column_text(st, 15, a->vehicle_plate, sizeof(a->vehicle_plate)) &&
        jy__store_column_text(st, 16, a->vehicle_plate_type, sizeof(a->vehicle_plate_type)) &&
        jy__store_column_text(st, 17, a->vehicle_vin, sizeof(a->vehicle_vin)) &&
        jy__store_column_text(st, 18, a->licence_number, sizeof(a->licence_number)) &&
        jy__store_column_text(st, 19, a->licence_class, sizeof(a->licence_class)) &&
        jy__store_column_text(st, 20, a->licence_expiry, sizeof(a->licence_expiry)) &&
        jy__store_column_text(st, 21, a->delivery_recipient, sizeof(a->delivery_recipient)) &&
        jy__store_column_text(st, 22, a->delivery_mobile, sizeof(a->delivery_mobile)) &&
        jy__store_column_text(st, 23, a->delivery_address, sizeof(a->delivery_address)) &&
        jy__store_column_text(st, 24, a->delivery_postcode, sizeof(a->delivery_postcode)) &&
        jy__store_column_text(st, 29, a->due_date, sizeof(a->due_date)) &&
        jy__store_column_text(st, 31, a->lease_username, sizeof(a->lease_username)) &&
        jy__store_column_text(st, 33, a->waybill, sizeof(a->waybill)) &&
        jy__store_column_text(st, 34, a->correction_reason, sizeof(a->correction_reason)) &&
        jy__store_column_text(st, 35, a->correction_note, sizeof(a->correction_note));
    if (!ok)
        return false;
    const char *fees = (const char *)sqlite3_column_text(st, 25);
    size_t fees_len = (size_t)sqlite3_column_bytes(st, 25);
    const char *docs = (const char *)sqlite3_column_text(st, 27);
    size_t docs_len = (size_t)sqlite3_column_bytes(st, 27);
    return fees && docs && decode_fees(fees, fees_len, a) && decode_documents(docs, docs_len, a);
}

/* Run a one-row APP_SELECT whose ?1 is `number` (when not NULL) or `id`. */
static enum jy_err app_query(struct jy_store_conn *conn, const char *sql, const char *number,
                             int64_t id, struct jy_store_application *ret, struct jy_error *err)
{
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    if (number)
        sqlite3_bind_text(st, 1, number, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_int64(st, 1, id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", "number", "no such application");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        /* Read into a copy first, so that `*ret` is untouched on failure; the record is a few
         * KiB, too much for the stack of a worker thread to hold twice. */
        struct jy_store_application *a = malloc(sizeof(*a));
        if (!a)
            e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        else if (!read_app(st, a))
            e = jy__store_stored_too_long(err, "applications");
        else
            memcpy(ret, a, sizeof(*a));
        free(a);
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_application_by_number(struct jy_store_conn *conn, const char *number,
                                           struct jy_store_application *ret, struct jy_error *err)
{
    static const char sql[] = APP_SELECT " WHERE a.number = ?1";
    return app_query(conn, sql, number ? number : "", 0, ret, err);
}

enum jy_err jy_store_application_by_id(struct jy_store_conn *conn, int64_t id,
                                       struct jy_store_application *ret, struct jy_error *err)
{
    static const char sql[] = APP_SELECT " WHERE a.id = ?1";
    return app_query(conn, sql, NULL, id, ret, err);
}

enum jy_err jy_store_application_count(struct jy_store_conn *conn, int64_t *ret,
                                       struct jy_error *err)
{
    static const char sql[] = "SELECT count(*) FROM applications";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int64(st, 0);
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* ---- applications: lists ---- */

/* The text of a list statement, built from constant fragments: the same filter shape gives the
 * same text, which the statement cache then finds prepared. Values are bound by name. */
struct sqlbuf {
    char s[4096];
    size_t n;
    bool overflow;
};

static void sql_add(struct sqlbuf *b, const char *t)
{
    size_t len = strlen(t);
    if (b->overflow || b->n + len >= sizeof(b->s)) {
        b->overflow = true;
        return;
    }
    memcpy(b->s + b->n, t, len + 1);
    b->n += len;
}

/* " AND col IN (:pfx0, :pfx1, …)" for `n` codes. */
static void sql_in(struct sqlbuf *b, const char *col, const char *pfx, size_t n)
{
    sql_add(b, " AND ");
    sql_add(b, col);
    sql_add(b, " IN (");
    for (size_t i = 0; i < n; i++) {
        char name[40];
        snprintf(name, sizeof(name), "%s:%.8s%zu", i ? ", " : "", pfx, i);
        sql_add(b, name);
    }
    sql_add(b, ")");
}

static void bind_named_text(sqlite3_stmt *st, const char *name, const char *value)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_text(st, i, value, -1, SQLITE_TRANSIENT);
}

static void bind_named_int(sqlite3_stmt *st, const char *name, int64_t value)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int64(st, i, value);
}

/* The exclusive upper end of the prefix range: `prefix` with its last character incremented.
 * Numbers hold only 0-9 A-Z, so '9'+1 and 'Z'+1 still sort after every number with the prefix. */
static bool prefix_end(const char *prefix, char *buf, size_t size)
{
    size_t n = strlen(prefix);
    if (n == 0 || n >= size)
        return false;
    memcpy(buf, prefix, n + 1);
    buf[n - 1] = (char)(buf[n - 1] + 1);
    return true;
}

enum jy_err jy_store_application_list(struct jy_store_conn *conn,
                                      const struct jy_store_application_filter *f, int limit,
                                      bool (*fn)(void *ctx, const struct jy_store_application *a),
                                      void *ctx, int64_t *ret_next, struct jy_error *err)
{
    if (limit < 1 || limit > JY_PAGE_MAX_ITEMS)
        return jy_error_set(err, JY_RANGE, "out_of_range", "limit", "limit must be 1..%d",
                            JY_PAGE_MAX_ITEMS);
    if (f->n_states > JY_STORE_FILTER_MAX_CODES || f->n_stations > JY_STORE_FILTER_MAX_CODES)
        return jy_error_set(err, JY_RANGE, "out_of_range", NULL, "too many codes in a filter");
    char np_end[JY_APP_NUMBER_SIZE] = "";
    bool has_np = f->number_prefix && f->number_prefix[0];
    if (has_np && !prefix_end(f->number_prefix, np_end, sizeof(np_end)))
        has_np = false; /* longer than any number: it matches none */
    bool has_plate = f->plate && f->plate[0];
    bool has_idn = f->id_number && f->id_number[0];
    bool searching = (f->number_prefix && f->number_prefix[0]) || has_plate || has_idn;

    struct sqlbuf b = {.n = 0, .overflow = false};
    sql_add(&b, APP_SELECT " WHERE 1");
    if (f->branch_id)
        sql_add(&b, " AND a.branch_id = :branch");
    if (f->business_type)
        sql_add(&b, " AND a.business_type = :type");
    if (f->n_states)
        sql_in(&b, "a.state", "st", f->n_states);
    if (f->n_stations)
        sql_in(&b, "a.station", "sn", f->n_stations);
    if (searching) {
        /* Written without a constant term, so that SQLite answers the OR from three indexes
         * (number, plate, ID number) instead of scanning the table. */
        const char *terms[3];
        size_t n_terms = 0;
        if (has_np)
            terms[n_terms++] = "(a.number >= :np AND a.number < :npe)";
        if (has_plate)
            terms[n_terms++] = "a.vehicle_plate = :plate";
        if (has_idn)
            terms[n_terms++] = "a.applicant_id_number = :idn";
        if (n_terms == 0)
            sql_add(&b, " AND 0"); /* a prefix longer than any number */
        for (size_t i = 0; i < n_terms; i++) {
            sql_add(&b, i == 0 ? " AND (" : " OR ");
            sql_add(&b, terms[i]);
        }
        if (n_terms)
            sql_add(&b, ")");
    }
    if (f->before_id)
        sql_add(&b, " AND a.id < :before");
    sql_add(&b, " ORDER BY a.id DESC LIMIT :limit");
    if (b.overflow)
        return jy_error_set(err, JY_INTERNAL, "store_internal", NULL, "list statement too long");

    sqlite3_stmt *st = jy_store_stmt(conn, b.s, err);
    if (!st)
        return code_of(err);
    bind_named_int(st, ":branch", f->branch_id);
    if (f->business_type)
        bind_named_text(st, ":type", f->business_type);
    for (size_t i = 0; i < f->n_states; i++) {
        char name[32];
        snprintf(name, sizeof(name), ":st%zu", i);
        bind_named_text(st, name, f->states[i] ? f->states[i] : "");
    }
    for (size_t i = 0; i < f->n_stations; i++) {
        char name[32];
        snprintf(name, sizeof(name), ":sn%zu", i);
        bind_named_text(st, name, f->stations[i] ? f->stations[i] : "");
    }
    if (has_np) {
        bind_named_text(st, ":np", f->number_prefix);
        bind_named_text(st, ":npe", np_end);
    }
    if (has_plate)
        bind_named_text(st, ":plate", f->plate);
    if (has_idn)
        bind_named_text(st, ":idn", f->id_number);
    bind_named_int(st, ":before", f->before_id);
    bind_named_int(st, ":limit", (int64_t)limit + 1);

    enum jy_err e = JY_OK;
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a) {
        sqlite3_reset(st);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    int given = 0;
    int64_t last = 0, next = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (given == limit) {
            next = last; /* one more row exists: the page ends at `last` */
            break;
        }
        memset(a, 0, sizeof(*a));
        if (!read_app(st, a)) {
            e = jy__store_stored_too_long(err, "applications");
            break;
        }
        given++;
        last = a->id;
        if (!fn(ctx, a)) {
            next = last; /* stopped early: what follows is the next page */
            break;
        }
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    free(a);
    if (e == JY_OK)
        *ret_next = next;
    return e;
}

/* ---- events ---- */

enum jy_err jy_store_application_events(struct jy_store_conn *conn, int64_t application_id,
                                        bool (*fn)(void *ctx, const struct jy_store_event_row *e),
                                        void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT e.id, e.application_id, e.at, e.actor_id, u.username, e.actor_role, e.branch_id,"
        " e.station, e.from_state, e.from_station, e.to_state, e.to_station, e.reason, e.note"
        " FROM events e LEFT JOIN users u ON u.id = e.actor_id"
        " WHERE e.application_id = ?1 ORDER BY e.id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, application_id);
    struct jy_store_event_row *row = malloc(sizeof(*row));
    if (!row) {
        sqlite3_reset(st);
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    }
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        row->id = sqlite3_column_int64(st, 0);
        row->application_id = sqlite3_column_int64(st, 1);
        row->at = sqlite3_column_int64(st, 2);
        row->actor_id = sqlite3_column_int64(st, 3);
        row->branch_id = sqlite3_column_int64(st, 6);
        row->has_note = sqlite3_column_type(st, 13) != SQLITE_NULL;
        bool ok = jy__store_column_text(st, 4, row->actor_username, sizeof(row->actor_username)) &&
                  jy__store_column_text(st, 5, row->actor_role, sizeof(row->actor_role)) &&
                  jy__store_column_text(st, 7, row->station, sizeof(row->station)) &&
                  jy__store_column_text(st, 8, row->from_state, sizeof(row->from_state)) &&
                  jy__store_column_text(st, 9, row->from_station, sizeof(row->from_station)) &&
                  jy__store_column_text(st, 10, row->to_state, sizeof(row->to_state)) &&
                  jy__store_column_text(st, 11, row->to_station, sizeof(row->to_station)) &&
                  jy__store_column_text(st, 12, row->reason, sizeof(row->reason)) &&
                  jy__store_column_text(st, 13, row->note, sizeof(row->note));
        if (!ok) {
            e = jy__store_stored_too_long(err, "events");
            break;
        }
        if (!fn(ctx, row))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    free(row);
    return e;
}

enum jy_err jy_store_application_has_event_by(struct jy_store_conn *conn, int64_t application_id,
                                              int64_t user_id, bool *ret, struct jy_error *err)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM events WHERE application_id = ?1 AND actor_id = ?2)";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, application_id);
    sqlite3_bind_int64(st, 2, user_id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int(st, 0) != 0;
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

/* ---- idempotency ---- */

enum jy_err jy_store_idempotency_find(struct jy_store_conn *conn, int64_t user_id, const char *key,
                                      int64_t *ret_application_id, uint8_t ret_request_hash[32],
                                      struct jy_error *err)
{
    static const char sql[] = "SELECT application_id, request_hash FROM idempotency"
                              " WHERE user_id = ?1 AND key = ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, key ? key : "", -1, SQLITE_TRANSIENT);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", NULL, "no such idempotency key");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        const void *h = sqlite3_column_blob(st, 1);
        if (!h || sqlite3_column_bytes(st, 1) != 32) {
            e = jy__store_stored_too_long(err, "idempotency");
        } else {
            *ret_application_id = sqlite3_column_int64(st, 0);
            memcpy(ret_request_hash, h, 32);
        }
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_idempotency_insert(struct jy_store_conn *conn, int64_t user_id,
                                        const char *key, int64_t application_id,
                                        const uint8_t request_hash[32], int64_t now,
                                        struct jy_error *err)
{
    static const char sql[] = "INSERT INTO idempotency (user_id, key, application_id,"
                              " request_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    enum jy_err e = need_transaction(conn, err);
    if (e != JY_OK)
        return e;
    if (!key || strnlen(key, JY_IDEMPOTENCY_KEY_MAX_BYTES + 1) > JY_IDEMPOTENCY_KEY_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "Idempotency-Key",
                            "an idempotency key has at most %d characters",
                            JY_IDEMPOTENCY_KEY_MAX_BYTES);
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, application_id);
    sqlite3_bind_blob(st, 4, request_hash, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    e = jy__store_step_done(conn, st, err);
    sqlite3_clear_bindings(st);
    return e;
}

/* ---- documents ---- */

#define DOC_COLUMNS "id, application_id, kind, sha256, content_type, size, uploaded_by, uploaded_at"

static bool read_doc(sqlite3_stmt *st, struct jy_store_document *d)
{
    d->id = sqlite3_column_int64(st, 0);
    d->application_id = sqlite3_column_int64(st, 1);
    d->size = sqlite3_column_int64(st, 5);
    d->uploaded_by = sqlite3_column_int64(st, 6);
    d->uploaded_at = sqlite3_column_int64(st, 7);
    return jy__store_column_text(st, 2, d->kind, sizeof(d->kind)) &&
           jy__store_column_text(st, 3, d->sha256, sizeof(d->sha256)) &&
           jy__store_column_text(st, 4, d->content_type, sizeof(d->content_type));
}

enum jy_err jy_store_document_insert(struct jy_store_conn *conn, const struct jy_store_document *d,
                                     int64_t *ret_id, struct jy_error *err)
{
    static const char sql[] =
        "INSERT INTO documents (application_id, kind, sha256, content_type,"
        " size, uploaded_by, uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    enum jy_err e = need_transaction(conn, err);
    if (e != JY_OK)
        return e;
    if (!FITS(d->kind) || !FITS(d->sha256) || !FITS(d->content_type))
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL,
                            "a document field is not terminated within its buffer");
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, d->application_id);
    jy__store_bind_text_or_null(st, 2, d->kind);
    sqlite3_bind_text(st, 3, d->sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->content_type, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, d->size);
    bind_id_or_null(st, 6, d->uploaded_by);
    sqlite3_bind_int64(st, 7, d->uploaded_at);
    e = jy__store_step_done(conn, st, err);
    sqlite3_clear_bindings(st);
    if (e == JY_OK)
        *ret_id = sqlite3_last_insert_rowid(jy_store_conn_db(conn));
    return e;
}

enum jy_err jy_store_document_get(struct jy_store_conn *conn, int64_t application_id,
                                  const char *sha256, struct jy_store_document *ret,
                                  struct jy_error *err)
{
    static const char sql[] =
        "SELECT " DOC_COLUMNS " FROM documents WHERE application_id = ?1 AND sha256 = ?2";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, application_id);
    sqlite3_bind_text(st, 2, sha256 ? sha256 : "", -1, SQLITE_TRANSIENT);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        e = jy_error_set(err, JY_NOT_FOUND, "not_found", "sha256", "no such document");
    } else if (rc != SQLITE_ROW) {
        e = jy_store_sqlite_error(conn, rc, err);
    } else {
        struct jy_store_document d;
        if (read_doc(st, &d))
            *ret = d;
        else
            e = jy__store_stored_too_long(err, "documents");
    }
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_document_count(struct jy_store_conn *conn, int64_t application_id,
                                    int64_t *ret, struct jy_error *err)
{
    static const char sql[] = "SELECT count(*) FROM documents WHERE application_id = ?1";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, application_id);
    enum jy_err e = JY_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *ret = sqlite3_column_int64(st, 0);
    else
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}

enum jy_err jy_store_document_each(struct jy_store_conn *conn, int64_t application_id,
                                   bool (*fn)(void *ctx, const struct jy_store_document *d),
                                   void *ctx, struct jy_error *err)
{
    static const char sql[] =
        "SELECT " DOC_COLUMNS " FROM documents WHERE application_id = ?1 ORDER BY id";
    sqlite3_stmt *st = jy_store_stmt(conn, sql, err);
    if (!st)
        return code_of(err);
    sqlite3_bind_int64(st, 1, application_id);
    enum jy_err e = JY_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct jy_store_document d;
        if (!read_doc(st, &d)) {
            e = jy__store_stored_too_long(err, "documents");
            break;
        }
        if (!fn(ctx, &d))
            break;
    }
    if (e == JY_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        e = jy_store_sqlite_error(conn, rc, err);
    sqlite3_reset(st);
    return e;
}
