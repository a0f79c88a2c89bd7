/*
 * cmd_init.c — `jingyou init`: create the database (with the demo city on --demo) and the
 * centre's receipt signing key pair, and say where they are. Also the key preparation that
 * `serve` shares.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "limits.h"
#include "render/receipt_sign.h"
#include "service/demo.h"
#include "service/service.h"
#include "../banned.h"

const char jy_cmd_init_usage[] =
    "usage: jingyou init [--db PATH] [--keys DIR] [--demo]\n"
    "\n"
    "Create the database (migrated to the current schema) and the centre's receipt signing\n"
    "key pair, then print where they are. Nothing that exists is overwritten.\n"
    "  --db PATH   the SQLite database (default var/jingyou.db)\n"
    "  --keys DIR  the key directory (default: keys/ beside the database, mode 0700; the secret\n"
    "              key file has mode 0600 — back it up, it is not in the database)\n"
    "  --demo      load the demo city into an empty database\n";

/* mkdir -p of the directory that holds `path`, mode 0700 for what is made. */
static bool make_parents(const char *path)
{
    char buf[JY_STORE_PATH_MAX_BYTES + 1];
    if (strlen(path) >= sizeof(buf))
        return false;
    jy_strlcpy(buf, path, sizeof(buf));
    char *last = strrchr(buf, '/');
    if (!last || last == buf)
        return true;
    *last = '\0';
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return false;
            *p = c;
            if (!c)
                break;
        }
    }
    return true;
}

int jy_cli_prepare_keys(const char *db, const char *keys, char *ret, size_t size, bool *created)
{
    struct jy_error err;
    jy_error_clear(&err);
    if (keys) {
        if (strlen(keys) >= size) {
            fprintf(stderr, "jingyou: the key directory path is too long\n");
            return JY_EXIT_USAGE;
        }
        jy_strlcpy(ret, keys, size);
    } else if (jy_service_keys_dir(db, ret, size, &err) != JY_OK) {
        fprintf(stderr, "jingyou: %s\n", err.message);
        return JY_EXIT_FAIL;
    }
    if (!make_parents(ret)) {
        fputs("jingyou: cannot create the directory of ", stderr);
        jy_cli_fputs_safe(ret, stderr);
        fprintf(stderr, ": %s\n", strerror(errno));
        return JY_EXIT_FAIL;
    }
    if (jy_receipt_sign_keys_ensure(ret, created, &err) != JY_OK) {
        fputs("jingyou: receipt signing key: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    return JY_EXIT_OK;
}

int jy_cmd_init(int argc, char **argv)
{
    const char *db = NULL, *keys = NULL;
    bool demo = false;
    char q[JY_CLI_QUOTE_SIZE];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--demo") == 0) {
            demo = true;
        } else if ((strcmp(a, "--db") == 0 || strcmp(a, "--keys") == 0) && !v) {
            return jy_cli_usage_error("init", jy_cmd_init_usage, "%s needs a value", a);
        } else if (strcmp(a, "--db") == 0) {
            db = v;
            i++;
        } else if (strcmp(a, "--keys") == 0) {
            keys = v;
            i++;
        } else {
            return jy_cli_usage_error("init", jy_cmd_init_usage, "unexpected argument '%s'",
                                      jy_cli_quote(a, q));
        }
    }
    char dir[JY_STORE_PATH_MAX_BYTES + 1];
    bool created = false;
    int rc = jy_cli_prepare_keys(db, keys, dir, sizeof(dir), &created);
    if (rc != JY_EXIT_OK)
        return rc;
    struct jy_error err;
    jy_error_clear(&err);
    struct jy_service_config cfg = {.db_path = db, .demo = demo, .keys_dir = dir};
    struct jy_service *svc = NULL;
    if (jy_service_open(&cfg, &svc, &err) != JY_OK) {
        fputs("jingyou init: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    if (demo && jy_demo_seed(svc, &err) != JY_OK) {
        fprintf(stderr, "jingyou init: loading the demo city: %s\n", err.message);
        jy_service_close(svc);
        return JY_EXIT_FAIL;
    }
    jy_service_close(svc);
    printf("database    %s\n", jy_cli_quote(db ? db : "var/jingyou.db", q));
    printf("signing key %s/%s (%s)\n", jy_cli_quote(dir, q), JY_RECEIPT_KEY_SECRET_FILE,
           created ? "new" : "kept");
    printf("public key  %s/%s\n", jy_cli_quote(dir, q), JY_RECEIPT_KEY_PUBLIC_FILE);
    if (demo)
        printf("demo city loaded (every login has the password %s)\n", JY_DEMO_PASSWORD);
    return JY_EXIT_OK;
}
