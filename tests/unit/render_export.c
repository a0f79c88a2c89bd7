/*
 * Tests of src/render/export.c: the XLSX read back by openpyxl (sheets, Chinese headers, date
 * cells that are dates, money that is a number with the format 0.00) and the CSV by Python's csv
 * module (BOM, CRLF, quoting, formula guard), through tests/unit/render_export_check.py. Debian's
 * /usr/bin/python3 runs it, where python3-openpyxl is installed (a python3 earlier on PATH may
 * not have it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/export.h"

#define ROWS 120

static struct jy_export_application apps[ROWS];
static char numbers[ROWS][32];
static const struct jy_export_station stations[] = {{"审核", 12, 40, 2}, {"审批", 0, 7, 0}};

static struct jy_export_day sample(void)
{
    for (int i = 0; i < ROWS; i++) {
        snprintf(numbers[i], sizeof(numbers[i]), "WH-261129-%05d-X", i + 1);
        apps[i] = (struct jy_export_application){
            .number = numbers[i],
            .business_code = i % 2 ? "X99" : "D01",
            .business_name = i % 2 ? "=1+1 不是公式" : "补领机动车驾驶证",
            .branch = "武昌\"彭刘杨路\", 支局\n二楼",
            .state = "在办",
            .station = i % 4 == 0 ? NULL : "审核",
            .clerk = "王芳",
            .accepted_at = 1795912200 + 60 * i, /* 2026-11-29 08:30 in Shanghai, + i minutes */
            .due_date = i % 5 == 4 ? (struct jy_date){0, 0, 0} : (struct jy_date){2026, 12, 4},
            .fee_fen = i % 7 ? i * 1234 + 5 : -50,
            .overdue = i % 3 == 0,
        };
    }
    return (struct jy_export_day){
        .centre = "武汉市车驾管业务邮政代办中心",
        .date = {2026, 11, 29},
        .generated_at = 1795950000,
        .applications = apps,
        .application_count = ROWS,
        .stations = stations,
        .station_count = 2,
    };
}

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/jy_export_XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write `data` to `name` in the temporary directory and run the checker on it. */
static void check_with_python(const char *mode, const char *name, const void *data, size_t len)
{
    char path[128], cmd[512], out[4096];
    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 '%s/tests/unit/render_export_check.py' %s '%s' 2>&1", JY_SOURCE_DIR,
             mode, path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    int rc = pclose(p);
    if (rc != 0 || strcmp(out, "ok\n") != 0)
        fail_msg("%s: %s", mode, out);
}

static void test_xlsx(void **state)
{
    (void)state;
    struct jy_export_day day = sample();
    unsigned char *data = NULL;
    size_t len = 0;
    struct jy_error err;
    if (jy_export_xlsx(&day, tmp, &data, &len, &err) != JY_OK)
        fail_msg("%s %s", err.reason, err.message);
    assert_true(len > 1000);
    assert_memory_equal(data, "PK", 2); /* a zip */
    check_with_python("xlsx", "day.xlsx", data, len);
    free(data);
    /* The temporary file is gone. */
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "test -z \"$(ls '%s' | grep -v day.xlsx)\"", tmp);
    assert_int_equal(system(cmd), 0);
}

static void test_csv(void **state)
{
    (void)state;
    struct jy_export_day day = sample();
    char *data = NULL;
    size_t len = 0;
    struct jy_error err;
    assert_int_equal(jy_export_csv(&day, JY_EXPORT_APPLICATIONS, &data, &len, &err), JY_OK);
    assert_int_equal(strlen(data), len);
    check_with_python("csv-applications", "apps.csv", data, len);
    free(data);
    assert_int_equal(jy_export_csv(&day, JY_EXPORT_STATIONS, &data, &len, &err), JY_OK);
    check_with_python("csv-stations", "stations.csv", data, len);
    free(data);
}

static void test_refusals(void **state)
{
    (void)state;
    struct jy_export_day day = sample();
    char *data = (char *)"untouched";
    size_t len = 9;
    struct jy_error err;
    apps[3].branch = "bad\xff";
    assert_int_equal(jy_export_csv(&day, JY_EXPORT_APPLICATIONS, &data, &len, &err), JY_INVALID);
    assert_string_equal(err.field, "applications[3].branch");
    day = sample();
    apps[5].due_date = (struct jy_date){2026, 2, 29};
    unsigned char *x = (unsigned char *)"untouched";
    assert_int_equal(jy_export_xlsx(&day, tmp, &x, &len, &err), JY_RANGE);
    assert_string_equal(err.field, "applications[5].due_date");
    day = sample();
    apps[0].fee_fen = INT64_MIN;
    assert_int_equal(jy_export_csv(&day, JY_EXPORT_APPLICATIONS, &data, &len, &err), JY_RANGE);
    day = sample();
    day.application_count = 100001;
    assert_int_equal(jy_export_csv(&day, JY_EXPORT_APPLICATIONS, &data, &len, &err), JY_RANGE);
    day = sample();
    assert_int_equal(jy_export_csv(&day, 9, &data, &len, &err), JY_INVALID);
    assert_int_equal(jy_export_xlsx(&day, "/nonexistent-dir", &x, &len, &err), JY_IO);
    assert_string_equal(data, "untouched");
    assert_string_equal((const char *)x, "untouched");
    assert_int_equal(len, 9);
    /* An empty day is a file with headers only. */
    day.application_count = 0;
    day.station_count = 0;
    assert_int_equal(jy_export_csv(&day, JY_EXPORT_APPLICATIONS, &data, &len, &err), JY_OK);
    assert_non_null(strstr(data, "受理编号,"));
    free(data);
    assert_int_equal(jy_export_xlsx(&day, tmp, &x, &len, &err), JY_OK);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
