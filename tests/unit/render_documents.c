/*
 * Tests of the printed documents (src/render/receipt.c, label.c, manifest.c over pdf.c), read
 * back by real tools: pdftotext finds the text, pdffonts shows the CJK font embedded, and
 * zbarimg decodes every barcode from the pages rendered at 300 dpi by pdftoppm. The PNGs of one
 * receipt (A5 and 80 mm), one label and one manifest page are kept in build/screens/ for a
 * person to look at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "core/appno.h"
#include "limits.h"
#include "render/label.h"
#include "render/manifest.h"
#include "render/pdf.h"
#include "render/receipt.h"
#include "render/receipt_sign.h"

static char tmp[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof(tmp), "/tmp/jy_render_XXXXXX");
    if (!mkdtemp(tmp))
        return -1;
    mkdir(JY_BINARY_DIR "/screens", 0755);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
    jy_pdf_shutdown();
    return system(cmd) == 0 ? 0 : -1;
}

/* Run `cmd` in a shell and return its standard output (caller frees); fails the test on a
 * non-zero exit. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    size_t n;
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            out = realloc(out, cap);
            assert_non_null(out);
        }
    }
    out[len] = '\0';
    int rc = pclose(p);
    if (rc != 0)
        fail_msg("command failed (%d): %s\n%s", rc, cmd, out);
    return out;
}

static void save(const char *name, const unsigned char *buf, size_t len, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", tmp, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("expected to find \"%s\" in:\n%s", needle, hay);
}

/* pdffonts lists a Noto Sans CJK font with "emb" = yes. */
static void assert_cjk_embedded(const char *pdf)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "pdffonts '%s' | grep NotoSansCJK", pdf);
    char *out = run(cmd);
    /* name, type words, encoding, then emb sub uni: the first "yes" is "emb". */
    assert_contains(out, "Identity-H       yes");
    free(out);
}

/* Render page `page` of `pdf` at 300 dpi to `png` and return zbarimg's decodings. */
static char *scan(const char *pdf, int page, const char *png_base)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "pdftoppm -r 300 -f %d -l %d -singlefile -png '%s' '%s'", page, page,
             pdf, png_base);
    free(run(cmd));
    snprintf(cmd, sizeof(cmd), "zbarimg -q '%s.png' 2>/dev/null || true", png_base);
    return run(cmd);
}

static void keep_screen(const char *png_base, const char *name)
{
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "cp '%s.png' '%s/screens/%s.png'", png_base, JY_BINARY_DIR, name);
    free(run(cmd));
}

/* ---- the receipt ---- */

static const struct jy_receipt_name docs[] = {
    {"身份证明", "Proof of identity"},
    {"机动车驾驶人身体条件证明", "Medical certificate"},
    {"近期一寸白底证件照", "Recent photo"},
};
static const struct jy_receipt_fee fees[] = {
    {{"驾驶证工本费", "Licence card fee"}, 1000},
    {{"EMS 邮寄费", "EMS postage"}, 2000},
};

static struct jy_receipt sample_receipt(const char *qr)
{
    return (struct jy_receipt){
        .centre_name = "武汉市车驾管业务邮政代办中心",
        .branch_name = "武昌彭刘杨路邮政支局",
        .number = "WH26112900042L",
        .display_number = "WH-261129-00042-L",
        .qr_payload = qr,
        .business_code = "D01",
        .business = {"补领机动车驾驶证", "Replacement of driving licence"},
        .applicant_name = "张三丰",
        .documents = docs,
        .document_count = 3,
        .fees = fees,
        .fee_count = 2,
        .expected_delivery = {2026, 12, 4},
        .next_steps =
            "材料将于当日随网点邮袋送至车管所邮政代办中心审核，审核通过后制证，证件由 EMS "
            "寄到您填写的地址。可扫描二维码或凭受理编号和身份证号后四位查询进度。\n"
            "Your documents go to the centre today; once approved, the licence is "
            "made and sent to you by EMS. Track it with the QR code or with the "
            "application number and the last four characters of your ID number.",
        .clerk = "王芳",
        .accepted_at = 1795944960, /* 2026-11-29 17:36 in Shanghai */
    };
}

static void test_receipt(void **state)
{
    (void)state;
    char keydir[128];
    snprintf(keydir, sizeof(keydir), "%s/keys", tmp);
    struct jy_error err;
    struct jy_receipt_key key;
    assert_int_equal(jy_receipt_sign_keys_ensure(keydir, NULL, &err), JY_OK);
    assert_int_equal(jy_receipt_sign_keys_load(keydir, &key, &err), JY_OK);
    char *qr = NULL;
    assert_int_equal(jy_receipt_sign_payload(&key, "https://track.example.cn/t/WH26112900042L",
                                             "WH26112900042L", (struct jy_date){2026, 11, 29}, 3000,
                                             &qr, &err),
                     JY_OK);
    struct jy_receipt r = sample_receipt(qr);
    static const struct {
        enum jy_receipt_format format;
        const char *name;
    } formats[] = {{JY_RECEIPT_A5, "receipt-a5"}, {JY_RECEIPT_ROLL_80MM, "receipt-80mm"}};
    for (size_t i = 0; i < 2; i++) {
        unsigned char *pdf = NULL;
        size_t len = 0;
        enum jy_err rc = jy_render_receipt(&r, formats[i].format, &pdf, &len, &err);
        if (rc != JY_OK)
            fail_msg("%s: %s %s %s", formats[i].name, err.reason, err.field, err.message);
        assert_true(len > 1000 && len < 400 * 1024);
        char path[256], cmd[512], base[256];
        char name[64];
        snprintf(name, sizeof(name), "%s.pdf", formats[i].name);
        save(name, pdf, len, path, sizeof(path));
        free(pdf);

        snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
        char *text = run(cmd);
        assert_contains(text, "WH-261129-00042-L");
        assert_contains(text, "补领机动车驾驶证");
        assert_contains(text, "受理回执");
        assert_contains(text, "¥30.00");
        assert_contains(text, "¥10.00");
        assert_contains(text, "张*");
        assert_contains(text, "2026-11-29 17:36");
        assert_contains(text, "2026-12-04");
        assert_contains(text, "机动车驾驶人身体条件证明");
        assert_contains(text, "王芳");
        if (strstr(text, "张三丰"))
            fail_msg("the full name is on the receipt");
        free(text);
        snprintf(cmd, sizeof(cmd), "pdfinfo '%s' | grep '^Pages:'", path);
        text = run(cmd);
        assert_contains(text, " 1\n"); /* one page, on both papers */
        free(text);
        assert_cjk_embedded(path);

        snprintf(base, sizeof(base), "%s/%s", tmp, formats[i].name);
        char *codes = scan(path, 1, base);
        assert_contains(codes, "CODE-128:WH26112900042L\n");
        char want[700];
        snprintf(want, sizeof(want), "QR-Code:%s\n", qr);
        assert_contains(codes, want);
        /* What the scanner read is a genuine receipt of this centre. */
        const char *scanned = strstr(codes, "QR-Code:") + strlen("QR-Code:");
        size_t slen = strcspn(scanned, "\n");
        enum jy_receipt_verdict v;
        struct jy_receipt_claim claim;
        assert_int_equal(jy_receipt_sign_verify(key.public_key, scanned, slen, &v, &claim, &err),
                         JY_OK);
        assert_int_equal(v, JY_RECEIPT_GENUINE);
        assert_int_equal(claim.fee_fen, 3000);
        free(codes);
        keep_screen(base, formats[i].name);
    }
    jy_receipt_sign_key_clear(&key);
    free(qr);
}

static void test_receipt_refusals(void **state)
{
    (void)state;
    struct jy_receipt r = sample_receipt("https://x/t?r=1");
    unsigned char *pdf = (unsigned char *)"untouched";
    size_t len = 7;
    struct jy_error err;
    r.clerk = "王\x01芳";
    assert_int_equal(jy_render_receipt(&r, JY_RECEIPT_A5, &pdf, &len, &err), JY_INVALID);
    assert_string_equal(err.field, "clerk");
    r = sample_receipt("https://x/t?r=1");
    r.number = "WH26112900042Л"; /* not ASCII: no Code 128 */
    assert_int_equal(jy_render_receipt(&r, JY_RECEIPT_A5, &pdf, &len, &err), JY_INVALID);
    assert_string_equal(err.field, "number");
    r = sample_receipt("https://x/t?r=1");
    struct jy_receipt_fee bad_fee[] = {{{"工本费", NULL}, -1}};
    r.fees = bad_fee;
    r.fee_count = 1;
    assert_int_equal(jy_render_receipt(&r, JY_RECEIPT_A5, &pdf, &len, &err), JY_RANGE);
    assert_string_equal(err.field, "fees[0].amount_fen");
    r = sample_receipt("https://x/t?r=1");
    r.business.zh = "\xE8\xA1"; /* cut UTF-8 */
    assert_int_equal(jy_render_receipt(&r, JY_RECEIPT_ROLL_80MM, &pdf, &len, &err), JY_INVALID);
    assert_string_equal(err.field, "business.zh");
    r = sample_receipt("https://x/t?r=1");
    r.expected_delivery = (struct jy_date){2026, 2, 30};
    assert_int_equal(jy_render_receipt(&r, JY_RECEIPT_A5, &pdf, &len, &err), JY_INVALID);
    r = sample_receipt("https://x/t?r=1");
    assert_int_equal(jy_render_receipt(&r, 7, &pdf, &len, &err), JY_INVALID);
    assert_string_equal((const char *)pdf, "untouched");
    assert_int_equal(len, 7);
    /* No documents, no fees, no next steps, no delivery: still a receipt. */
    r.document_count = 0;
    r.fee_count = 0;
    r.next_steps = NULL;
    r.expected_delivery = (struct jy_date){0, 0, 0};
    assert_int_equal(jy_render_receipt(&r, JY_RECEIPT_A5, &pdf, &len, &err), JY_OK);
    free(pdf);
}

/* ---- the label ---- */

static void test_label(void **state)
{
    (void)state;
    struct jy_label l = {
        .item_number = "EA123456785CN",
        .recipient = "张三",
        .mobile = "+86 138 0013 8000",
        .address = "湖北省武汉市武昌区彭刘杨路1号 星光小区3栋2单元501室",
        .postcode = "430060",
        .sender_name = "武汉市车驾管业务邮政代办中心",
        .sender_address = "湖北省武汉市江岸区解放大道1000号",
        .sender_phone = "027-12345678",
        .application_number = "WH-261129-00042-L",
        .contents = "机动车驾驶证",
        .date = {2026, 12, 2},
    };
    unsigned char *pdf = NULL;
    size_t len = 0;
    struct jy_error err;
    if (jy_render_label(&l, &pdf, &len, &err) != JY_OK)
        fail_msg("%s %s %s", err.reason, err.field, err.message);
    char path[256], cmd[512], base[256];
    save("label.pdf", pdf, len, path, sizeof(path));
    free(pdf);
    snprintf(cmd, sizeof(cmd), "pdftotext -layout '%s' -", path);
    char *text = run(cmd);
    assert_contains(text, "EA 123 456 785 CN");
    assert_contains(text, "138****8000");
    assert_contains(text, "张三");
    assert_contains(text, "彭刘杨路1号");
    assert_contains(text, "WH-261129-00042-L");
    if (strstr(text, "13800138000") || strstr(text, "0013"))
        fail_msg("the full mobile number is on the label");
    free(text);
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s' | grep '^Page size:'", path);
    text = run(cmd);
    assert_contains(text, "283.465 x 425.197 pts"); /* 100 × 150 mm */
    free(text);
    assert_cjk_embedded(path);
    snprintf(base, sizeof(base), "%s/label", tmp);
    char *codes = scan(path, 1, base);
    assert_contains(codes, "CODE-128:EA123456785CN\n");
    free(codes);
    keep_screen(base, "label");

    /* Refusals: a bad check digit, a bad mobile, an address too long for the label. */
    pdf = (unsigned char *)"untouched";
    l.item_number = "EA123456784CN";
    assert_int_equal(jy_render_label(&l, &pdf, &len, &err), JY_INVALID);
    assert_string_equal(err.reason, "bad_check_digit");
    assert_string_equal(err.field, "item_number");
    l.item_number = "EA123456785CN";
    l.mobile = "12345";
    assert_int_equal(jy_render_label(&l, &pdf, &len, &err), JY_INVALID);
    assert_string_equal(err.field, "mobile");
    l.mobile = "13800138000";
    char address[801];
    for (size_t i = 0; i + 3 <= 798; i += 3)
        memcpy(address + i, "路", 3);
    address[798] = '\0';
    l.address = address; /* 266 characters: fits at the smallest size */
    assert_int_equal(jy_render_label(&l, &pdf, &len, &err), JY_OK);
    free(pdf);
}

/* ---- the manifest ---- */

#define ITEMS 250

static void test_manifest(void **state)
{
    (void)state;
    static struct jy_manifest_item items[ITEMS];
    static char compact[ITEMS][24], display[ITEMS][JY_APPNO_DISPLAY_SIZE];
    static const char *biz[] = {"补领机动车驾驶证", "机动车驾驶证有效期满换证",
                                "机动车检验标志核发", "补领机动车行驶证"};
    uint32_t seq = 1;
    for (size_t i = 0; i < ITEMS; i++) {
        struct jy_appno no;
        while (jy_appno_make("WH", (struct jy_date){2026, 11, 29}, seq++, &no, NULL) != JY_OK)
            ;
        snprintf(compact[i], sizeof(compact[i]), "%s", no.text);
        jy_appno_display(&no, display[i]);
        items[i] = (struct jy_manifest_item){compact[i], display[i], NULL, biz[i % 4],
                                             i % 17 == 0 ? "材料待补正 Needs correction" : NULL};
    }
    struct jy_manifest m = {
        .kind = JY_MANIFEST_BRANCH_BAG,
        .from = "武昌彭刘杨路邮政支局",
        .to = "武汉市车驾管业务邮政代办中心",
        .reference = "BAG-WC01-20261129-1",
        .closed_at = 1795944960,
        .prepared_by = "王芳",
        .items = items,
        .item_count = ITEMS,
    };
    unsigned char *pdf = NULL;
    size_t len = 0;
    struct jy_error err;
    if (jy_render_manifest(&m, &pdf, &len, &err) != JY_OK)
        fail_msg("%s %s %s", err.reason, err.field, err.message);
    char path[256], cmd[512], base[256];
    save("manifest.pdf", pdf, len, path, sizeof(path));
    free(pdf);
    assert_cjk_embedded(path);

    snprintf(cmd, sizeof(cmd), "pdfinfo '%s' | sed -n 's/^Pages: *//p'", path);
    char *out = run(cmd);
    int pages = atoi(out);
    free(out);
    assert_true(pages >= 5 && pages < 40);

    /* "n / N" on every page, and every item's number on some page, exactly once. */
    char *all = calloc(1, 1);
    size_t all_len = 0;
    for (int p = 1; p <= pages; p++) {
        snprintf(cmd, sizeof(cmd), "pdftotext -f %d -l %d -layout '%s' -", p, p, path);
        char *text = run(cmd);
        char want[32];
        snprintf(want, sizeof(want), "%d / %d", p, pages);
        assert_contains(text, want);
        assert_contains(text, "交接清单");
        if (p == pages) {
            assert_contains(text, "交出人");
            assert_contains(text, "接收人");
            assert_contains(text, "250");
        }
        all = realloc(all, all_len + strlen(text) + 1);
        memcpy(all + all_len, text, strlen(text) + 1);
        all_len += strlen(text);
        free(text);
    }
    for (size_t i = 0; i < ITEMS; i++) {
        const char *at = strstr(all, display[i]);
        if (!at)
            fail_msg("item %zu (%s) is on no page", i + 1, display[i]);
        if (strstr(at + 1, display[i]))
            fail_msg("item %zu (%s) is on the manifest twice", i + 1, display[i]);
    }
    free(all);

    /* Page 2: every number printed there is also read from its barcode. */
    snprintf(cmd, sizeof(cmd), "pdftotext -f 2 -l 2 '%s' -", path);
    char *text = run(cmd);
    snprintf(base, sizeof(base), "%s/manifest-p2", tmp);
    char *codes = scan(path, 2, base);
    size_t on_page = 0;
    for (size_t i = 0; i < ITEMS; i++) {
        if (!strstr(text, display[i]))
            continue;
        on_page++;
        char want[64];
        snprintf(want, sizeof(want), "CODE-128:%.23s\n", compact[i]);
        if (!strstr(codes, want))
            fail_msg("item %zu: barcode %s not decoded on page 2:\n%s", i + 1, compact[i], codes);
    }
    assert_true(on_page >= 15);
    free(text);
    free(codes);
    keep_screen(base, "manifest-page2");

    /* Page 1 carries the reference as a barcode too. */
    snprintf(base, sizeof(base), "%s/manifest-p1", tmp);
    codes = scan(path, 1, base);
    assert_contains(codes, "CODE-128:BAG-WC01-20261129-1\n");
    free(codes);
    keep_screen(base, "manifest-page1");

    /* An outbound batch of S10 numbers, and an empty manifest. */
    struct jy_manifest_item envelope = {"EA123456785CN", "EA 123 456 785 CN", "WH-261129-00042-L",
                                        "补领机动车驾驶证", NULL};
    m.kind = JY_MANIFEST_OUTBOUND_BATCH;
    m.items = &envelope;
    m.item_count = 1;
    assert_int_equal(jy_render_manifest(&m, &pdf, &len, &err), JY_OK);
    free(pdf);
    m.item_count = 0;
    assert_int_equal(jy_render_manifest(&m, &pdf, &len, &err), JY_OK);
    free(pdf);
    m.item_count = JY_MANIFEST_MAX_ITEMS + 1;
    assert_int_equal(jy_render_manifest(&m, &pdf, &len, &err), JY_RANGE);
    envelope.barcode = "EA12345678\x01";
    m.item_count = 1;
    assert_int_equal(jy_render_manifest(&m, &pdf, &len, &err), JY_INVALID);
    assert_string_equal(err.field, "items[0].barcode");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_receipt),
        cmocka_unit_test(test_receipt_refusals),
        cmocka_unit_test(test_label),
        cmocka_unit_test(test_manifest),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
