/*
 * receipt_sign.c — Ed25519 signatures on receipts, the key files, and the QR token.
 */
#include "render/receipt_sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "limits.h"

#include "banned.h"

/* The prefix of every signed message (see the header). */
#define SIGN_DOMAIN "jingyou-receipt-v1"
/* Characters of a signature in base64url without padding. */
#define SIG_B64_LEN 86
/* Largest fee a token carries (far above JY_CATALOG_MAX_FEES × JY_CATALOG_MAX_FEE_FEN). */
#define FEE_MAX_FEN 1000000000000LL
/* Bytes of a key file: 64 hex digits and a newline. */
#define KEY_FILE_LEN 65

static enum jy_err start_sodium(struct jy_error *err)
{
    if (sodium_init() < 0)
        return jy_error_set(err, JY_INTERNAL, "sodium_init", NULL, "libsodium failed to start");
    return JY_OK;
}

/* ---- key files ---- */

static enum jy_err key_path(const char *dir, const char *name, char ret[JY_STORE_PATH_MAX_BYTES],
                            struct jy_error *err)
{
    if (!dir || !dir[0])
        return jy_error_set(err, JY_INVALID, "bad_path", NULL, "no key directory");
    int n = snprintf(ret, JY_STORE_PATH_MAX_BYTES, "%s/%s", dir, name);
    if (n < 0 || n >= JY_STORE_PATH_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "path_too_long", NULL, "key path too long");
    return JY_OK;
}

/* Read the 32 bytes written as 64 hex digits and a newline in `path`; JY_NOT_FOUND
 * [key_missing] when there is no such file. `secret`: refuse a file others may read. */
static enum jy_err read_key_file(const char *path, bool secret, unsigned char ret[32],
                                 struct jy_error *err)
{
    enum jy_err rc = JY_OK;
    char buf[JY_RECEIPT_KEY_FILE_MAX_BYTES + 1];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return jy_error_set(err, JY_NOT_FOUND, "key_missing", NULL, "no key file %s", path);
        return jy_error_set(err, JY_IO, "io_error", NULL, "cannot open %s: %s", path,
                            strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        rc =
            jy_error_set(err, JY_IO, "io_error", NULL, "cannot stat %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || (secret && (st.st_mode & 077) != 0)) {
        rc = jy_error_set(err, JY_IO, "insecure_key_file", NULL,
                          "%s must be a regular file of mode 0600", path);
        goto out;
    }
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = jy_error_set(err, JY_IO, "io_error", NULL, "cannot read %s: %s", path,
                              strerror(errno));
            goto out;
        }
        if (n == 0 || len + (size_t)n == sizeof(buf) - 1) {
            len += (size_t)n;
            break;
        }
        len += (size_t)n;
    }
    size_t bin_len = 0;
    const char *end = NULL;
    if (len != KEY_FILE_LEN || buf[KEY_FILE_LEN - 1] != '\n' ||
        sodium_hex2bin(ret, 32, buf, KEY_FILE_LEN - 1, NULL, &bin_len, &end) != 0 ||
        bin_len != 32 || end != buf + KEY_FILE_LEN - 1) {
        rc = jy_error_set(err, JY_IO, "bad_key_file", NULL, "%s is not 64 hex digits and a newline",
                          path);
        goto out;
    }
out:
    sodium_memzero(buf, sizeof(buf));
    close(fd);
    return rc;
}

/* Write 32 bytes as hex to `path` (mode 0600), never replacing an existing file: written under
 * a temporary name, then linked into place. Sets `*ret_exists` when `path` already existed
 * (nothing is written then). */
static enum jy_err write_key_file(const char *path, const unsigned char key[32], bool *ret_exists,
                                  struct jy_error *err)
{
    enum jy_err rc = JY_OK;
    char tmp[JY_STORE_PATH_MAX_BYTES + 32];
    char hex[KEY_FILE_LEN + 1];
    *ret_exists = false;
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return jy_error_set(err, JY_TOO_LONG, "path_too_long", NULL, "key path too long");
    sodium_bin2hex(hex, sizeof(hex), key, 32);
    hex[KEY_FILE_LEN - 1] = '\n';
    hex[KEY_FILE_LEN] = '\0';
    unlink(tmp); /* a leftover of this process id after a crash */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        rc = jy_error_set(err, JY_IO, "io_error", NULL, "cannot create %s: %s", tmp,
                          strerror(errno));
        goto out;
    }
    size_t off = 0;
    while (off < KEY_FILE_LEN) {
        ssize_t w = write(fd, hex + off, KEY_FILE_LEN - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    if (off != KEY_FILE_LEN || fsync(fd) != 0) {
        rc =
            jy_error_set(err, JY_IO, "io_error", NULL, "cannot write %s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (link(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        if (e == EEXIST) {
            *ret_exists = true;
            goto out;
        }
        rc = jy_error_set(err, JY_IO, "io_error", NULL, "cannot create %s: %s", path, strerror(e));
        goto out;
    }
    unlink(tmp);
out:
    sodium_memzero(hex, sizeof(hex));
    return rc;
}

/* Make `sk`/`pk` from a 32-byte seed. */
static void keys_from_seed(const unsigned char seed[32], struct jy_receipt_key *ret)
{
    crypto_sign_seed_keypair(ret->public_key, ret->secret_key, seed);
}

enum jy_err jy_receipt_sign_keys_load(const char *dir, struct jy_receipt_key *ret,
                                      struct jy_error *err)
{
    enum jy_err rc = start_sodium(err);
    if (rc != JY_OK)
        return rc;
    char path[JY_STORE_PATH_MAX_BYTES];
    unsigned char seed[32], pub[32];
    struct jy_receipt_key k;
    if ((rc = key_path(dir, JY_RECEIPT_KEY_SECRET_FILE, path, err)) ||
        (rc = read_key_file(path, true, seed, err)))
        goto out;
    keys_from_seed(seed, &k);
    if ((rc = key_path(dir, JY_RECEIPT_KEY_PUBLIC_FILE, path, err)) ||
        (rc = read_key_file(path, false, pub, err)))
        goto out;
    if (sodium_memcmp(pub, k.public_key, 32) != 0) {
        rc = jy_error_set(err, JY_CONFLICT, "key_mismatch", NULL,
                          "%s does not hold the public key of %s", JY_RECEIPT_KEY_PUBLIC_FILE,
                          JY_RECEIPT_KEY_SECRET_FILE);
        goto out;
    }
    *ret = k;
out:
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(&k, sizeof(k));
    return rc;
}

enum jy_err jy_receipt_sign_keys_ensure(const char *dir, bool *ret_created, struct jy_error *err)
{
    enum jy_err rc = start_sodium(err);
    if (rc != JY_OK)
        return rc;
    char sec_path[JY_STORE_PATH_MAX_BYTES], pub_path[JY_STORE_PATH_MAX_BYTES];
    unsigned char seed[32];
    struct jy_receipt_key k;
    bool created = false, exists;
    if ((rc = key_path(dir, JY_RECEIPT_KEY_SECRET_FILE, sec_path, err)) ||
        (rc = key_path(dir, JY_RECEIPT_KEY_PUBLIC_FILE, pub_path, err)))
        return rc;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return jy_error_set(err, JY_IO, "io_error", NULL, "cannot create %s: %s", dir,
                            strerror(errno));
    rc = read_key_file(sec_path, true, seed, err);
    if (rc == JY_NOT_FOUND) {
        if (access(pub_path, F_OK) == 0) {
            rc = jy_error_set(err, JY_CONFLICT, "secret_key_missing", NULL, "%s exists without %s",
                              pub_path, JY_RECEIPT_KEY_SECRET_FILE);
            goto out;
        }
        randombytes_buf(seed, sizeof(seed));
        if ((rc = write_key_file(sec_path, seed, &exists, err)))
            goto out;
        if (exists) {
            /* Another process made it first: use theirs. */
            if ((rc = read_key_file(sec_path, true, seed, err)))
                goto out;
        } else {
            created = true;
        }
    } else if (rc != JY_OK) {
        goto out;
    }
    keys_from_seed(seed, &k);
    if ((rc = write_key_file(pub_path, k.public_key, &exists, err)))
        goto out;
    /* Check what is on disk now, whoever wrote it. */
    if ((rc = jy_receipt_sign_keys_load(dir, &k, err)))
        goto out;
    if (ret_created)
        *ret_created = created;
out:
    sodium_memzero(seed, sizeof(seed));
    sodium_memzero(&k, sizeof(k));
    return rc;
}

void jy_receipt_sign_key_clear(struct jy_receipt_key *key)
{
    if (key)
        sodium_memzero(key, sizeof(*key));
}

/* ---- the token ---- */

static bool number_ok(const char *s, size_t n)
{
    if (n == 0 || n > JY_RECEIPT_NUMBER_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

/* The canonical message for the fields; returns its length (always fits `ret`). */
static size_t message(const char *number, struct jy_date date, int64_t fee,
                      char ret[JY_RECEIPT_NUMBER_MAX + 64])
{
    int n = snprintf(ret, JY_RECEIPT_NUMBER_MAX + 64, SIGN_DOMAIN "|%s|%04d-%02d-%02d|%lld", number,
                     date.year, date.month, date.day, (long long)fee);
    return n > 0 ? (size_t)n : 0;
}

enum jy_err jy_receipt_sign_payload(const struct jy_receipt_key *key, const char *tracking_url,
                                    const char *number, struct jy_date date, int64_t fee_fen,
                                    char **ret, struct jy_error *err)
{
    enum jy_err rc = start_sodium(err);
    if (rc != JY_OK)
        return rc;
    if (!key || !number || !number_ok(number, strnlen(number, JY_RECEIPT_NUMBER_MAX + 1)))
        return jy_error_set(err, JY_INVALID, "bad_number", "number",
                            "an application number is 1 to %d characters 0-9 A-Z",
                            JY_RECEIPT_NUMBER_MAX);
    if (!jy_date_is_valid(date))
        return jy_error_set(err, JY_INVALID, "bad_date", "date", "not a real date");
    if (fee_fen < 0 || fee_fen > FEE_MAX_FEN)
        return jy_error_set(err, JY_RANGE, "bad_amount", "fee_fen", "fee out of range");
    if (!tracking_url)
        return jy_error_set(err, JY_INVALID, "bad_url", "tracking_url", "no tracking URL");
    size_t ulen = strnlen(tracking_url, JY_RECEIPT_URL_MAX_BYTES + 1);
    if (ulen > JY_RECEIPT_URL_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", "tracking_url",
                            "tracking URL longer than %d bytes", JY_RECEIPT_URL_MAX_BYTES);
    for (size_t i = 0; i < ulen; i++)
        if (tracking_url[i] <= 0x20 || tracking_url[i] > 0x7E || tracking_url[i] == '#')
            return jy_error_set(err, JY_INVALID, "bad_url", "tracking_url",
                                "a tracking URL is printable ASCII without spaces or '#'");
    char msg[JY_RECEIPT_NUMBER_MAX + 64];
    size_t mlen = message(number, date, fee_fen, msg);
    unsigned char sig[JY_RECEIPT_SIGNATURE_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, mlen, key->secret_key);
    char b64[SIG_B64_LEN + 1];
    sodium_bin2base64(b64, sizeof(b64), sig, sizeof(sig), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char sep = memchr(tracking_url, '?', ulen) ? '&' : '?';
    char *out = malloc(JY_RECEIPT_PAYLOAD_MAX_BYTES + 1);
    if (!out)
        return jy_error_set(err, JY_NOMEM, "out_of_memory", NULL, "out of memory");
    int n = snprintf(out, JY_RECEIPT_PAYLOAD_MAX_BYTES + 1, "%s%cr=%s.%04d%02d%02d.%lld.%s",
                     tracking_url, sep, number, date.year, date.month, date.day, (long long)fee_fen,
                     b64);
    if (n < 0 || n > JY_RECEIPT_PAYLOAD_MAX_BYTES) {
        free(out);
        return jy_error_set(err, JY_TOO_LONG, "too_long", "tracking_url",
                            "the payload would pass %d bytes", JY_RECEIPT_PAYLOAD_MAX_BYTES);
    }
    *ret = out;
    return JY_OK;
}

/* Parse decimal digits [s, s+n) into `*ret`; no sign, no leading zero (except "0"). */
static bool parse_uint(const char *s, size_t n, int64_t max, int64_t *ret)
{
    if (n == 0 || n > 13 || (n > 1 && s[0] == '0'))
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max)
        return false;
    *ret = v;
    return true;
}

enum jy_err jy_receipt_sign_verify(const unsigned char public_key[JY_RECEIPT_PUBLIC_KEY_BYTES],
                                   const char *s, size_t len, enum jy_receipt_verdict *ret_verdict,
                                   struct jy_receipt_claim *ret_claim, struct jy_error *err)
{
    enum jy_err rc = start_sodium(err);
    if (rc != JY_OK)
        return rc;
    if (len > JY_RECEIPT_PAYLOAD_MAX_BYTES)
        return jy_error_set(err, JY_TOO_LONG, "too_long", NULL, "payload longer than %d bytes",
                            JY_RECEIPT_PAYLOAD_MAX_BYTES);
    *ret_verdict = JY_RECEIPT_MALFORMED;
    if (!s || !public_key)
        return JY_OK;
    /* The token: after the last "r=" that starts the text or a query parameter. */
    const char *tok = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (s[i] == 'r' && s[i + 1] == '=' && (i == 0 || s[i - 1] == '?' || s[i - 1] == '&'))
            tok = s + i + 2;
    if (!tok)
        return JY_OK;
    size_t tlen = 0;
    while (tok + tlen < s + len && tok[tlen] != '&' && tok[tlen] != '#')
        tlen++;
    /* number . YYYYMMDD . fee . signature */
    const char *part[4];
    size_t plen[4], k = 0;
    part[0] = tok;
    for (size_t i = 0; i < tlen; i++) {
        if (tok[i] == '.') {
            if (k == 3)
                return JY_OK;
            plen[k] = (size_t)(tok + i - part[k]);
            part[++k] = tok + i + 1;
        }
    }
    if (k != 3)
        return JY_OK;
    plen[3] = (size_t)(tok + tlen - part[3]);
    struct jy_receipt_claim claim = {0};
    int64_t ymd;
    if (!number_ok(part[0], plen[0]) || plen[1] != 8 || !parse_uint(part[1], 8, 99991231, &ymd) ||
        !parse_uint(part[2], plen[2], FEE_MAX_FEN, &claim.fee_fen) || plen[3] != SIG_B64_LEN)
        return JY_OK;
    memcpy(claim.number, part[0], plen[0]);
    claim.number[plen[0]] = '\0';
    claim.date = (struct jy_date){(int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100)};
    if (!jy_date_is_valid(claim.date))
        return JY_OK;
    unsigned char sig[JY_RECEIPT_SIGNATURE_BYTES];
    size_t sig_len = 0;
    const char *end = NULL;
    if (sodium_base642bin(sig, sizeof(sig), part[3], plen[3], NULL, &sig_len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        sig_len != sizeof(sig) || end != part[3] + plen[3])
        return JY_OK;
    /* Only the one spelling of the signature counts: the last character has bits that decode
     * to nothing, and a changed character must not pass. */
    char again[SIG_B64_LEN + 1];
    sodium_bin2base64(again, sizeof(again), sig, sizeof(sig),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (memcmp(again, part[3], SIG_B64_LEN) != 0)
        return JY_OK;
    char msg[JY_RECEIPT_NUMBER_MAX + 64];
    size_t mlen = message(claim.number, claim.date, claim.fee_fen, msg);
    if (crypto_sign_verify_detached(sig, (const unsigned char *)msg, mlen, public_key) != 0) {
        *ret_verdict = JY_RECEIPT_BAD_SIGNATURE;
        return JY_OK;
    }
    *ret_verdict = JY_RECEIPT_GENUINE;
    if (ret_claim)
        *ret_claim = claim;
    return JY_OK;
}
