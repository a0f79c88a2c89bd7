/*
 * flow_fixture.h — a small city for the tests of the workflow, the carrier's feed and tracking:
 * a service on a fresh database (under /dev/shm when it exists), two branches, a clerk at each,
 * one operator per station plus a second review operator, the police supervisor, logistics, a
 * manager, and applications inserted directly (the intake is not what these tests test), each
 * with its first event as the intake writes it.
 *
 * Included by tests/unit/{workflow,shipments,track}.c; every function is static and may go
 * unused in one of them.
 */
#ifndef JY_TEST_FLOW_FIXTURE_H
#define JY_TEST_FLOW_FIXTURE_H

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/appno.h"
#include "service/auth.h"
#include "service/service.h"
#include "store/audit.h"
#include "store/settings.h"
#include "store/users.h"

#define FLOW_FN static __attribute__((unused))

/* The applicant of every inserted application (personal data the tracking page must not show). */
#define FLOW_NAME "张三丰"
#define FLOW_ID_NUMBER "11010519491231002X"
#define FLOW_MOBILE "13800138000"
#define FLOW_ADDRESS "湖北省武汉市武昌区彭刘杨路1号"

struct flow {
    char dir[256];
    char db[320];
    struct jy_service *svc;
    struct jy_store_conn *conn;
    int64_t branch1, branch2;
    struct jy_actor clerk, clerk2, review, review2, approval_op, police, print, production, archive,
        dispatch, logistics, manager, admin;
    uint32_t seq; /* last application sequence number used */
};

FLOW_FN void flow_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (d) {
            struct dirent *de;
            while ((de = readdir(d)) != NULL) {
                if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                    continue;
                char sub[1024];
                snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
                flow_remove_tree(sub);
            }
            closedir(d);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

FLOW_FN void flow_exec(struct flow *f, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(jy_store_conn_db(f->conn), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The single integer a query returns. */
FLOW_FN int64_t flow_int(struct flow *f, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(jy_store_conn_db(f->conn), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The single text a query returns, copied into `buf` ("" for NULL). */
FLOW_FN const char *flow_text(struct flow *f, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(jy_store_conn_db(f->conn), sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const unsigned char *t = sqlite3_column_text(st, 0);
    snprintf(buf, size, "%s", t ? (const char *)t : "");
    sqlite3_finalize(st);
    return buf;
}

/* A fingerprint of everything a use case may write: events, application rows and versions,
 * shipment events, sequences. Equal before and after a refused request. */
FLOW_FN int64_t flow_fingerprint(struct flow *f)
{
    return flow_int(f, "SELECT (SELECT count(*) FROM events) * 1000000"
                       " + (SELECT coalesce(sum(version), 0) FROM applications) * 1000"
                       " + (SELECT count(*) FROM shipment_events) * 10"
                       " + (SELECT coalesce(sum(value), 0) FROM sequences)"
                       " + (SELECT coalesce(sum(next - first), 0) FROM s10_ranges)");
}

FLOW_FN struct jy_actor flow_user(struct flow *f, const char *username, enum jy_role role,
                                  const char *branch, const char *stations)
{
    struct jy_auth_new_user u = {
        .username = username,
        .display_name = username,
        .role = role,
        .branch_code = branch,
        .stations = stations,
        .password_hash = "not-a-hash", /* these users never log in */
    };
    struct jy_error err;
    struct jy_actor a;
    memset(&a, 0, sizeof(a));
    if (jy_auth_user_add(f->svc, &u, &a.user_id, &err) != JY_OK)
        fail_msg("user %s: %s", username, err.message);
    a.role = role;
    if (branch)
        a.branch_id = strcmp(branch, "WH001") == 0 ? f->branch1 : f->branch2;
    if (stations)
        assert_int_equal(jy_stations_parse(stations, &a.stations, &err), JY_OK);
    snprintf(a.username, sizeof(a.username), "%s", username);
    snprintf(a.display_name, sizeof(a.display_name), "%s", username);
    return a;
}

FLOW_FN void flow_set_range(struct flow *f, const char *first, const char *last)
{
    /* The centre's one EMS range (store/custody.h), replacing any other. */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "DELETE FROM s10_ranges; INSERT INTO s10_ranges (service, country, first, last,"
             " next, added_at) VALUES ('EA', 'CN', %s, %s, %s, 0)",
             first, last, first);
    flow_exec(f, sql);
}

FLOW_FN int flow_setup(void **state)
{
    struct flow *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(f->dir, sizeof(f->dir), "%s/jyflow-XXXXXX", base);
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->db, sizeof(f->db), "%s/jingyou.db", f->dir);
    char docs[400];
    snprintf(docs, sizeof(docs), "%s/documents", f->dir);
    struct jy_service_config cfg = {.db_path = f->db, .documents_dir = docs};
    struct jy_error err;
    if (jy_service_open(&cfg, &f->svc, &err) != JY_OK)
        fail_msg("open: %s", err.message);
    assert_int_equal(jy_service_conn(f->svc, &f->conn, &err), JY_OK);

    struct jy_store_branch b;
    memset(&b, 0, sizeof(b));
    assert_int_equal(jy_store_begin(f->conn, &err), JY_OK);
    snprintf(b.code, sizeof(b.code), "WH001");
    snprintf(b.name_zh, sizeof(b.name_zh), "彭刘杨路邮政支局");
    snprintf(b.name_en, sizeof(b.name_en), "Pengliuyang Road Post Office");
    assert_int_equal(jy_store_branch_insert(f->conn, &b, &f->branch1, &err), JY_OK);
    snprintf(b.code, sizeof(b.code), "WH002");
    snprintf(b.name_zh, sizeof(b.name_zh), "中南路邮政支局");
    snprintf(b.name_en, sizeof(b.name_en), "Zhongnan Road Post Office");
    assert_int_equal(jy_store_branch_insert(f->conn, &b, &f->branch2, &err), JY_OK);
    assert_int_equal(jy_store_commit(f->conn, &err), JY_OK);

    f->clerk = flow_user(f, "clerk", JY_ROLE_CLERK, "WH001", NULL);
    f->clerk2 = flow_user(f, "clerk2", JY_ROLE_CLERK, "WH002", NULL);
    f->review = flow_user(f, "review", JY_ROLE_OPERATOR, NULL, "review");
    f->review2 = flow_user(f, "review2", JY_ROLE_OPERATOR, NULL, "review");
    f->approval_op = flow_user(f, "approval", JY_ROLE_OPERATOR, NULL, "approval");
    f->police = flow_user(f, "police", JY_ROLE_SUPERVISOR, NULL, NULL);
    f->print = flow_user(f, "print", JY_ROLE_OPERATOR, NULL, "print");
    f->production = flow_user(f, "production", JY_ROLE_OPERATOR, NULL, "production");
    f->archive = flow_user(f, "archive", JY_ROLE_OPERATOR, NULL, "archive");
    f->dispatch = flow_user(f, "dispatch", JY_ROLE_OPERATOR, NULL, "dispatch");
    f->logistics = flow_user(f, "logistics", JY_ROLE_LOGISTICS, NULL, NULL);
    f->manager = flow_user(f, "manager", JY_ROLE_MANAGER, NULL, NULL);
    f->admin = flow_user(f, "admin", JY_ROLE_ADMIN, NULL, NULL);
    flow_set_range(f, "10000000", "10099999");
    /* These tests take applications through archive without the morning van (custody.h). */
    flow_exec(f, "INSERT INTO settings (key, value) VALUES ('custody_archive_gate', 'off')");
    *state = f;
    return 0;
}

/* The chain of events must verify at the end of every test. */
FLOW_FN void flow_verify_chain(struct flow *f)
{
    int64_t checked = -1, broken = -1;
    struct jy_error err;
    if (jy_store_audit_verify(f->conn, &checked, &broken, &err) != JY_OK)
        fail_msg("audit: %s", err.message);
    assert_int_equal(broken, 0);
    assert_int_equal(checked, flow_int(f, "SELECT count(*) FROM events"));
}

FLOW_FN int flow_teardown(void **state)
{
    struct flow *f = *state;
    flow_verify_chain(f);
    jy_service_close(f->svc);
    flow_remove_tree(f->dir);
    free(f);
    return 0;
}

/*
 * Insert an application of business type `type` in `state` at `station` (NULL for none), due
 * on `due_date`, accepted at branch 1 by the clerk, with fees of `fee_fen` and waybill
 * `waybill` (NULL for none), and its intake event; its compact number goes to `number`
 * (JY_WORKFLOW_NUMBER_SIZE bytes). Returns its id.
 */
FLOW_FN int64_t flow_insert(struct flow *f, const char *type, const char *state,
                            const char *station, const char *due_date, int64_t fee_fen,
                            const char *waybill, char number[24])
{
    struct jy_appno no;
    struct jy_error err;
    struct jy_date day = {2026, 11, 30};
    while (jy_appno_make("WH", day, ++f->seq, &no, &err) != JY_OK)
        assert_string_equal(err.reason, "check_unusable");
    snprintf(number, 24, "%s", no.text);
    int64_t now = jy_service_now(f->svc);
    static const char sql[] =
        "INSERT INTO applications (number, business_type, branch_id, clerk_id, state, station,"
        " applicant_name, applicant_id_type, applicant_id_number, applicant_mobile,"
        " delivery_recipient, delivery_mobile, delivery_address, delivery_postcode,"
        " fees_json, fee_total_fen, documents_json, accepted_at, due_date, waybill, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, '" FLOW_NAME "', 'resident_id', '" FLOW_ID_NUMBER "',"
        " '" FLOW_MOBILE "', '" FLOW_NAME "', '" FLOW_MOBILE "', '" FLOW_ADDRESS "', '430060',"
        " '[]', ?7, '[\"id_card\"]', ?8, ?9, ?10, ?8)";
    sqlite3_stmt *st = NULL;
    assert_int_equal(jy_store_begin(f->conn, &err), JY_OK);
    assert_int_equal(sqlite3_prepare_v2(jy_store_conn_db(f->conn), sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, no.text, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, f->branch1);
    sqlite3_bind_int64(st, 4, f->clerk.user_id);
    sqlite3_bind_text(st, 5, state, -1, SQLITE_TRANSIENT);
    if (station)
        sqlite3_bind_text(st, 6, station, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, fee_fen);
    sqlite3_bind_int64(st, 8, now - 3600);
    sqlite3_bind_text(st, 9, due_date, -1, SQLITE_TRANSIENT);
    if (waybill)
        sqlite3_bind_text(st, 10, waybill, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        fail_msg("insert: %s", sqlite3_errmsg(jy_store_conn_db(f->conn)));
    sqlite3_finalize(st);
    int64_t id = sqlite3_last_insert_rowid(jy_store_conn_db(f->conn));
    struct jy_event ev = {
        .application_id = id,
        .at = now - 3600,
        .actor_id = f->clerk.user_id,
        .actor_role = "clerk",
        .branch_id = f->branch1,
        .to_state = state,
        .to_station = station,
        .reason = "intake",
    };
    int64_t event_id;
    assert_int_equal(jy_store_event_append(f->conn, &ev, &event_id, &err), JY_OK);
    assert_int_equal(jy_store_commit(f->conn, &err), JY_OK);
    return id;
}

#endif /* JY_TEST_FLOW_FIXTURE_H */
