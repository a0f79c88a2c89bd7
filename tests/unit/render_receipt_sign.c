/*
 * Unit tests for src/render/receipt_sign.c: key files (created 0600, never overwritten,
 * refused when others may read them), payloads, and verification — every changed byte of a
 * token fails.
 */
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

#include "render/receipt_sign.h"

static const char *URL = "https://track.example.cn/t/WH26112900042L";

static char *tmpdir_new(void)
{
    char *d = strdup("/tmp/jy_sign_XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void rm_rf(const char *d)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d);
    assert_int_equal(system(cmd), 0);
}

static void path_of(char *buf, size_t n, const char *dir, const char *name)
{
    snprintf(buf, n, "%s/%s", dir, name);
}

static void read_all(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t len = fread(buf, 1, n - 1, f);
    buf[len] = '\0';
    fclose(f);
}

static void test_keys_created_once(void **state)
{
    (void)state;
    char *base = tmpdir_new();
    char dir[256], sec[300], pub[300];
    snprintf(dir, sizeof(dir), "%s/keys", base);
    path_of(sec, sizeof(sec), dir, JY_RECEIPT_KEY_SECRET_FILE);
    path_of(pub, sizeof(pub), dir, JY_RECEIPT_KEY_PUBLIC_FILE);
    struct jy_error err;
    bool created = false;
    assert_int_equal(jy_receipt_sign_keys_ensure(dir, &created, &err), JY_OK);
    assert_true(created);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(stat(sec, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_int_equal(stat(pub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char before[128], after[128];
    read_all(sec, before, sizeof(before));
    /* A second call changes nothing. */
    assert_int_equal(jy_receipt_sign_keys_ensure(dir, &created, &err), JY_OK);
    assert_false(created);
    read_all(sec, after, sizeof(after));
    assert_string_equal(before, after);
    /* The public file is rebuilt from the secret when missing. */
    char pub_before[128];
    read_all(pub, pub_before, sizeof(pub_before));
    assert_int_equal(unlink(pub), 0);
    assert_int_equal(jy_receipt_sign_keys_ensure(dir, &created, &err), JY_OK);
    assert_false(created);
    read_all(pub, after, sizeof(after));
    assert_string_equal(pub_before, after);
    /* A public key without its secret is never paired with a new secret. */
    assert_int_equal(unlink(sec), 0);
    assert_int_equal(jy_receipt_sign_keys_ensure(dir, &created, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "secret_key_missing");
    assert_int_equal(access(sec, F_OK), -1);
    rm_rf(base);
    free(base);
}

static void test_keys_load_refusals(void **state)
{
    (void)state;
    char *dir = tmpdir_new();
    char sec[300], pub[300];
    path_of(sec, sizeof(sec), dir, JY_RECEIPT_KEY_SECRET_FILE);
    path_of(pub, sizeof(pub), dir, JY_RECEIPT_KEY_PUBLIC_FILE);
    struct jy_error err;
    struct jy_receipt_key key;
    assert_int_equal(jy_receipt_sign_keys_load(dir, &key, &err), JY_NOT_FOUND);
    assert_string_equal(err.reason, "key_missing");
    assert_int_equal(jy_receipt_sign_keys_ensure(dir, NULL, &err), JY_OK);
    assert_int_equal(jy_receipt_sign_keys_load(dir, &key, &err), JY_OK);
    /* Readable by the group: refused. */
    assert_int_equal(chmod(sec, 0640), 0);
    assert_int_equal(jy_receipt_sign_keys_load(dir, &key, &err), JY_IO);
    assert_string_equal(err.reason, "insecure_key_file");
    assert_int_equal(chmod(sec, 0600), 0);
    /* A public key of another pair: refused. */
    FILE *f = fopen(pub, "w");
    assert_non_null(f);
    fputs("0000000000000000000000000000000000000000000000000000000000000000\n", f);
    fclose(f);
    assert_int_equal(jy_receipt_sign_keys_load(dir, &key, &err), JY_CONFLICT);
    assert_string_equal(err.reason, "key_mismatch");
    assert_int_equal(jy_receipt_sign_keys_ensure(dir, NULL, &err), JY_CONFLICT);
    /* Not hex: refused. */
    f = fopen(pub, "w");
    fputs("not a key\n", f);
    fclose(f);
    assert_int_equal(jy_receipt_sign_keys_load(dir, &key, &err), JY_IO);
    assert_string_equal(err.reason, "bad_key_file");
    rm_rf(dir);
    free(dir);
}

/* A key pair in a fresh directory. */
static void load_key(struct jy_receipt_key *key, char **dir)
{
    *dir = tmpdir_new();
    struct jy_error err;
    assert_int_equal(jy_receipt_sign_keys_ensure(*dir, NULL, &err), JY_OK);
    assert_int_equal(jy_receipt_sign_keys_load(*dir, key, &err), JY_OK);
}

static enum jy_receipt_verdict verdict(const struct jy_receipt_key *key, const char *s,
                                       struct jy_receipt_claim *claim)
{
    enum jy_receipt_verdict v = 99;
    struct jy_error err;
    assert_int_equal(jy_receipt_sign_verify(key->public_key, s, strlen(s), &v, claim, &err), JY_OK);
    return v;
}

static void test_sign_and_verify(void **state)
{
    (void)state;
    struct jy_receipt_key key;
    char *dir;
    load_key(&key, &dir);
    struct jy_error err;
    char *p = NULL;
    assert_int_equal(jy_receipt_sign_payload(&key, URL, "WH26112900042L",
                                             (struct jy_date){2026, 11, 29}, 3000, &p, &err),
                     JY_OK);
    const char *prefix =
        "https://track.example.cn/t/WH26112900042L?r=WH26112900042L.20261129.3000.";
    assert_memory_equal(p, prefix, strlen(prefix));
    assert_int_equal(strlen(p), strlen(prefix) + 86);
    struct jy_receipt_claim claim;
    assert_int_equal(verdict(&key, p, &claim), JY_RECEIPT_GENUINE);
    assert_string_equal(claim.number, "WH26112900042L");
    assert_int_equal(claim.date.year, 2026);
    assert_int_equal(claim.date.month, 11);
    assert_int_equal(claim.date.day, 29);
    assert_int_equal(claim.fee_fen, 3000);
    /* The token alone verifies too. */
    assert_int_equal(verdict(&key, strstr(p, "r="), NULL), JY_RECEIPT_GENUINE);
    assert_int_equal(verdict(&key, strstr(p, "r=") + 2, NULL), JY_RECEIPT_MALFORMED);

    /* Every byte of the token, changed to every other character that may stand in a URL
     * query: never genuine. */
    size_t start = strlen(URL) + 1, len = strlen(p);
    static const char alphabet[] =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_.~=&%";
    char *q = strdup(p);
    size_t tried = 0;
    for (size_t i = start; i < len; i++) {
        for (const char *a = alphabet; *a; a++) {
            if (*a == p[i])
                continue;
            q[i] = *a;
            enum jy_receipt_verdict v = verdict(&key, q, NULL);
            if (v == JY_RECEIPT_GENUINE)
                fail_msg("changed byte %zu to '%c' still verifies: %s", i, *a, q);
            tried++;
        }
        q[i] = p[i];
    }
    assert_true(tried > 100 * 60);
    /* The one-bit case: the last base64 character with only unused bits changed. */
    char last = p[len - 1];
    for (const char *a = alphabet; *a; a++) {
        if (*a == last)
            continue;
        q[len - 1] = *a;
        assert_int_not_equal(verdict(&key, q, NULL), JY_RECEIPT_GENUINE);
    }
    free(q);

    /* Another centre's key: not issued by this centre. */
    struct jy_receipt_key other;
    char *dir2;
    load_key(&other, &dir2);
    assert_int_equal(verdict(&other, p, NULL), JY_RECEIPT_BAD_SIGNATURE);

    /* A changed fee or date with the old signature: bad signature. */
    char *forged = strdup(p);
    char *fee = strstr(forged, ".3000.");
    fee[1] = '1';
    assert_int_equal(verdict(&key, forged, NULL), JY_RECEIPT_BAD_SIGNATURE);
    free(forged);

    /* Malformed payloads. */
    const char *bad[] = {"",
                         "https://x/t",
                         "https://x/t?r=",
                         "r=a.b.c.d",
                         "r=WH1.2026112.1.x",
                         "r=WH1.20261329.1.AAAA",
                         "r=wh1.20261129.1.AAAA",
                         "r=WH1.20261129.01.AA"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(verdict(&key, bad[i], NULL), JY_RECEIPT_MALFORMED);
    /* Too long. */
    char big[600];
    memset(big, 'a', sizeof(big));
    enum jy_receipt_verdict v;
    assert_int_equal(jy_receipt_sign_verify(key.public_key, big, sizeof(big), &v, NULL, &err),
                     JY_TOO_LONG);

    /* A URL with a query gets '&'. */
    char *p2 = NULL;
    assert_int_equal(jy_receipt_sign_payload(&key, "https://x/track?n=1", "WH1",
                                             (struct jy_date){2026, 1, 2}, 0, &p2, &err),
                     JY_OK);
    assert_non_null(strstr(p2, "?n=1&r=WH1.20260102.0."));
    assert_int_equal(verdict(&key, p2, NULL), JY_RECEIPT_GENUINE);
    free(p2);

    /* Refused inputs leave *ret alone. */
    char *untouched = (char *)"x";
    assert_int_equal(jy_receipt_sign_payload(&key, URL, "wh1", (struct jy_date){2026, 1, 2}, 0,
                                             &untouched, &err),
                     JY_INVALID);
    assert_string_equal(err.reason, "bad_number");
    assert_int_equal(jy_receipt_sign_payload(&key, URL, "WH1", (struct jy_date){2026, 2, 30}, 0,
                                             &untouched, &err),
                     JY_INVALID);
    assert_int_equal(jy_receipt_sign_payload(&key, URL, "WH1", (struct jy_date){2026, 2, 3}, -1,
                                             &untouched, &err),
                     JY_RANGE);
    assert_int_equal(jy_receipt_sign_payload(&key, "https://x/a b", "WH1",
                                             (struct jy_date){2026, 2, 3}, 1, &untouched, &err),
                     JY_INVALID);
    assert_string_equal(err.reason, "bad_url");
    assert_string_equal(untouched, "x");

    jy_receipt_sign_key_clear(&key);
    unsigned char zero[JY_RECEIPT_SECRET_KEY_BYTES] = {0};
    assert_memory_equal(key.secret_key, zero, sizeof(zero));
    jy_receipt_sign_key_clear(NULL);
    jy_receipt_sign_key_clear(&other);
    free(p);
    rm_rf(dir);
    rm_rf(dir2);
    free(dir);
    free(dir2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keys_created_once),
        cmocka_unit_test(test_keys_load_refusals),
        cmocka_unit_test(test_sign_and_verify),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
