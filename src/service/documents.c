/*
 * documents.c — scanned documents stored by content: see documents.h.
 */
#include "documents.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "limits.h"
#include "service/query.h"
#include "../banned.h"

const char *jy_documents_sniff(const void *data, size_t len)
{
    static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF};
    static const unsigned char png[] = {0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A};
    static const unsigned char pdf[] = {'%', 'P', 'D', 'F', '-'};
    if (!data)
        return NULL;
    if (len >= sizeof(jpeg) && memcmp(data, jpeg, sizeof(jpeg)) == 0)
        return "image/jpeg";
    if (len >= sizeof(png) && memcmp(data, png, sizeof(png)) == 0)
        return "image/png";
    if (len >= sizeof(pdf) && memcmp(data, pdf, sizeof(pdf)) == 0)
        return "application/pdf";
    return NULL;
}

/* The lower-case hex SHA-256 of `len` bytes. */
static void sha256_hex(const void *data, size_t len, char ret[JY_APP_SHA256_SIZE])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, data, len);
    sodium_bin2hex(ret, JY_APP_SHA256_SIZE, h, sizeof(h));
}

/* The application `number` when `actor` may read it; a heap record the caller frees. */
static enum jy_err load(struct jy_service *svc, const struct jy_actor *actor, const char *number,
                        struct jy_store_application **ret, struct jy_error *err)
{
    struct jy_store_application *a = malloc(sizeof(*a));
    if (!a)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
    enum jy_err e = jy_query_get(svc, actor, number, a, err);
    if (e != JY_OK) {
        free(a);
        return e;
    }
    *ret = a;
    return JY_OK;
}

/* ---- the files ---- */

static enum jy_err io_error(struct jy_error *err, const char *what, const char *path)
{
    return jy_error_set(err, JY_IO, "document_io", NULL, "%s %s: %s", what, path, strerror(errno));
}

static enum jy_err fsync_dir(const char *path, struct jy_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, "cannot open directory", path);
    int rc = fsync(fd);
    close(fd);
    if (rc != 0)
        return io_error(err, "cannot sync directory", path);
    return JY_OK;
}

/* Write `len` bytes to `path` (a new file), durably. */
static enum jy_err write_file(const char *path, const void *data, size_t len, struct jy_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return io_error(err, "cannot create", path);
    const unsigned char *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            enum jy_err e = io_error(err, "cannot write", path);
            close(fd);
            return e;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0) {
        enum jy_err e = io_error(err, "cannot sync", path);
        close(fd);
        return e;
    }
    if (close(fd) != 0)
        return io_error(err, "cannot close", path);
    return JY_OK;
}

/* Put the bytes at <dir>/<sha[0:2]>/<sha>, unless a file of that name and size is there. */
static enum jy_err store_file(const char *dir, const char *sha, const void *data, size_t len,
                              struct jy_error *err)
{
    char sub[JY_STORE_PATH_MAX_BYTES + 1], final[JY_STORE_PATH_MAX_BYTES + 1],
        tmp[JY_STORE_PATH_MAX_BYTES + 1];
    int n1 = snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha);
    int n2 = snprintf(final, sizeof(final), "%s/%s", sub, sha);
    unsigned char rnd[8];
    char rnd_hex[17];
    randombytes_buf(rnd, sizeof(rnd));
    sodium_bin2hex(rnd_hex, sizeof(rnd_hex), rnd, sizeof(rnd));
    int n3 = snprintf(tmp, sizeof(tmp), "%s/.tmp-%s-%s", sub, sha, rnd_hex);
    if (n1 < 0 || n2 < 0 || n3 < 0 || (size_t)n3 >= sizeof(tmp))
        return jy_error_set(err, JY_IO, "document_io", NULL, "documents path too long");

    if (mkdir(sub, 0700) == 0) {
        enum jy_err e = fsync_dir(dir, err); /* the new directory's entry */
        if (e != JY_OK)
            return e;
    } else if (errno != EEXIST) {
        return io_error(err, "cannot create", sub);
    }
    struct stat st;
    if (lstat(final, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == (off_t)len)
        return JY_OK; /* the same content is there: files are only ever renamed in whole */
    enum jy_err e = write_file(tmp, data, len, err);
    if (e == JY_OK && rename(tmp, final) != 0)
        e = io_error(err, "cannot rename into", final);
    if (e != JY_OK) {
        unlink(tmp);
        return e;
    }
    return fsync_dir(sub, err);
}

/* ---- upload ---- */

/* May `actor` add documents to `a` (which it may read)? */
static enum jy_err may_upload(const struct jy_actor *actor, struct jy_error *err)
{
    if (actor->role == JY_ROLE_CLERK || actor->role == JY_ROLE_OPERATOR ||
        actor->role == JY_ROLE_SUPERVISOR)
        return JY_OK;
    return jy_error_set(err, JY_FORBIDDEN, "forbidden", NULL,
                        "only the branch clerk or the back office adds documents");
}

enum jy_err jy_documents_upload(struct jy_service *svc, const struct jy_actor *actor,
                                const char *number, const char *kind, const void *data, size_t len,
                                struct jy_store_document *ret, bool *ret_existing,
                                struct jy_error *err)
{
    enum jy_err e = may_upload(actor, err);
    if (e != JY_OK)
        return e;
    struct jy_store_application *a = NULL;
    if ((e = load(svc, actor, number, &a, err)) != JY_OK)
        return e;
    struct jy_store_conn *conn = NULL;
    struct jy_store_document d;
    memset(&d, 0, sizeof(d));
    bool existing = false, in_txn = false;

    if (!kind || !*kind) {
        /* Every scan is one item of the business type's checklist. */
        e = jy_error_set(err, JY_INVALID, "missing_field", "kind",
                         "say which document this is: ?kind= one of the type's document codes");
        goto out;
    }
    if (!data || len == 0) {
        e = jy_error_set(err, JY_INVALID, "empty_document", NULL, "the document is empty");
        goto out;
    }
    if (len > JY_HTTP_DOCUMENT_MAX_BYTES) {
        e = jy_error_set(err, JY_TOO_LARGE, "too_large", NULL, "a document has at most %d bytes",
                         JY_HTTP_DOCUMENT_MAX_BYTES);
        goto out;
    }
    const char *type = jy_documents_sniff(data, len);
    if (!type) {
        e = jy_error_set(err, JY_UNSUPPORTED_MEDIA_TYPE, "unsupported_document_type", NULL,
                         "a document is a JPEG, PNG or PDF file (judged by its content)");
        goto out;
    }
    if (kind && *kind) {
        const struct jy_business_type *bt =
            jy_catalog_find(jy_service_catalog(svc), a->business_type, strlen(a->business_type));
        const struct jy_catalog_document *doc =
            bt ? jy_business_type_find_document(bt, kind, strlen(kind)) : NULL;
        if (!doc) {
            e = jy_error_set(err, JY_UNPROCESSABLE, "unknown_document", "kind",
                             "kind: %s takes no document '%.32s'", a->business_type, kind);
            goto out;
        }
        jy_strlcpy(d.kind, doc->code, sizeof(d.kind));
    }
    d.application_id = a->id;
    sha256_hex(data, len, d.sha256);
    jy_strlcpy(d.content_type, type, sizeof(d.content_type));
    d.size = (int64_t)len;
    d.uploaded_by = actor->user_id;
    d.uploaded_at = jy_service_now(svc);

    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        goto out;
    struct jy_error nf;
    e = jy_store_document_get(conn, a->id, d.sha256, &d, &nf);
    if (e == JY_OK) {
        existing = true;
        goto out;
    }
    if (e != JY_NOT_FOUND) {
        if (err)
            *err = nf;
        goto out;
    }
    int64_t count = 0;
    if ((e = jy_store_document_count(conn, a->id, &count, err)) != JY_OK)
        goto out;
    if (count >= JY_DOCUMENTS_MAX_PER_APPLICATION) {
        e = jy_error_set(err, JY_UNPROCESSABLE, "too_many_documents", NULL,
                         "an application has at most %d documents",
                         JY_DOCUMENTS_MAX_PER_APPLICATION);
        goto out;
    }
    /* The file first, durably; then the row that names it. */
    if ((e = store_file(jy_service_documents_dir(svc), d.sha256, data, len, err)) != JY_OK)
        goto out;
    if ((e = jy_store_begin(conn, err)) != JY_OK)
        goto out;
    in_txn = true;
    struct jy_error dup;
    e = jy_store_document_insert(conn, &d, &d.id, &dup);
    if (e == JY_CONFLICT && strcmp(dup.reason, "duplicate") == 0) {
        /* The same upload raced this one and won: answer with its row. */
        jy_store_rollback(conn);
        in_txn = false;
        e = jy_store_document_get(conn, a->id, d.sha256, &d, err);
        existing = e == JY_OK;
        goto out;
    }
    if (e != JY_OK) {
        if (err)
            *err = dup;
        goto out;
    }
    e = jy_store_commit(conn, err);
    in_txn = false;
out:
    if (in_txn)
        jy_store_rollback(conn);
    free(a);
    if (e == JY_OK) {
        *ret = d;
        if (ret_existing)
            *ret_existing = existing;
    }
    return e;
}

/* ---- list and download ---- */

enum jy_err jy_documents_list(struct jy_service *svc, const struct jy_actor *actor,
                              const char *number,
                              bool (*fn)(void *ctx, const struct jy_store_document *d), void *ctx,
                              struct jy_error *err)
{
    struct jy_store_application *a = NULL;
    enum jy_err e = load(svc, actor, number, &a, err);
    if (e != JY_OK)
        return e;
    int64_t id = a->id;
    free(a);
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    return jy_store_document_each(conn, id, fn, ctx, err);
}

/* `s` as 64 lower-case hex digits into `ret`; false when it is not 64 hex digits. */
static bool normalise_sha(const char *s, char ret[JY_APP_SHA256_SIZE])
{
    if (!s || strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
        ret[i] = c;
    }
    ret[64] = '\0';
    return true;
}

/* Read the whole file `path`, which must hold exactly `size` bytes. */
static enum jy_err read_file(const char *path, int64_t size, void **ret, struct jy_error *err)
{
    if (size < 0 || size > JY_HTTP_DOCUMENT_MAX_BYTES)
        return jy_error_set(err, JY_IO, "document_corrupt", NULL, "a stored size is impossible");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT)
            return jy_error_set(err, JY_IO, "document_missing", NULL,
                                "the document's file is missing from the store");
        return io_error(err, "cannot open", path);
    }
    struct stat st;
    unsigned char *buf = NULL;
    enum jy_err e = JY_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != (off_t)size) {
        e = jy_error_set(err, JY_IO, "document_corrupt", NULL,
                         "the document's file does not have its recorded size");
        goto out;
    }
    buf = malloc(size ? (size_t)size : 1);
    if (!buf) {
        e = jy_error_set(err, JY_NOMEM, NULL, NULL, "out of memory");
        goto out;
    }
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t n = read(fd, buf + got, (size_t)size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            e = n == 0 ? jy_error_set(err, JY_IO, "document_corrupt", NULL,
                                      "file shorter than recorded")
                       : io_error(err, "cannot read", path);
            goto out;
        }
        got += (size_t)n;
    }
out:
    close(fd);
    if (e != JY_OK) {
        free(buf);
        return e;
    }
    *ret = buf;
    return JY_OK;
}

enum jy_err jy_documents_read(struct jy_service *svc, const struct jy_actor *actor,
                              const char *number, const char *sha256,
                              struct jy_store_document *ret_doc, void **ret_data, size_t *ret_len,
                              struct jy_error *err)
{
    struct jy_store_application *a = NULL;
    enum jy_err e = load(svc, actor, number, &a, err);
    if (e != JY_OK)
        return e;
    int64_t app_id = a->id;
    free(a);
    char sha[JY_APP_SHA256_SIZE];
    if (!normalise_sha(sha256, sha))
        return jy_error_set(err, JY_NOT_FOUND, "not_found", "sha256", "no such document");
    struct jy_store_conn *conn;
    if ((e = jy_service_conn(svc, &conn, err)) != JY_OK)
        return e;
    struct jy_store_document d;
    if ((e = jy_store_document_get(conn, app_id, sha, &d, err)) != JY_OK)
        return e;
    char path[JY_STORE_PATH_MAX_BYTES + 1];
    int n = snprintf(path, sizeof(path), "%s/%.2s/%s", jy_service_documents_dir(svc), sha, sha);
    if (n < 0 || (size_t)n >= sizeof(path))
        return jy_error_set(err, JY_IO, "document_io", NULL, "documents path too long");
    void *data = NULL;
    if ((e = read_file(path, d.size, &data, err)) != JY_OK)
        return e;
    char check[JY_APP_SHA256_SIZE];
    sha256_hex(data, (size_t)d.size, check);
    if (strcmp(check, sha) != 0) {
        free(data);
        return jy_error_set(err, JY_IO, "document_corrupt", NULL,
                            "the document's file no longer matches its SHA-256");
    }
    *ret_doc = d;
    *ret_data = data;
    *ret_len = (size_t)d.size;
    return JY_OK;
}
