/*
 * documents.h — the scanned documents of an application: upload, list, download.
 *
 * A document is stored by its content: the file <documents_dir>/<sha[0:2]>/<sha256>, where
 * sha256 is the lower-case hex SHA-256 of its bytes (libsodium crypto_hash_sha256). The bytes are
 * written to a temporary file in that directory, fsync'd, renamed into place and the directory
 * fsync'd before the `documents` row is committed, so a row never names a file that a crash
 * could lose. The same bytes are one file however often and to whichever application they are
 * uploaded; the same bytes uploaded twice to one application are one document (the second
 * upload returns the first row).
 *
 * The type is read from the content, never from a name or a Content-Type header: JPEG (FF D8 FF),
 * PNG (89 50 4E 47 0D 0A 1A 0A) or PDF ("%PDF-"); anything else is refused.
 *
 * Who may: upload — the clerk of the application's branch, an operator or the supervisor when
 * the application is in their read scope (service/query.h); list and download — whoever may read
 * the application. Thread-safety: any thread, any number at once.
 */
#ifndef JY_DOCUMENTS_H
#define JY_DOCUMENTS_H

#include <stdbool.h>
#include <stddef.h>

#include "service/service.h"
#include "store/applications.h"

/* The content type of the `len` bytes at `data` by their first bytes: "image/jpeg",
 * "image/png", "application/pdf", or NULL for anything else. Static strings; pure. */
const char *jy_documents_sniff(const void *data, size_t len);

/*
 * Store the `len` bytes at `data` (borrowed) as a document of application `number` (as typed),
 * of kind `kind` (a document code of the application's business type, any case; required:
 * every scan is one item of the type's checklist). On success `*ret` is the row, and
 * `*ret_existing` (may be NULL) tells whether the application already had this document (nothing
 * new was written).
 *
 * Errors: JY_FORBIDDEN "forbidden" (a role that does not upload), "out_of_scope"; JY_INVALID
 * "invalid_number", "missing_field" (field "kind"), "empty_document"; JY_NOT_FOUND; JY_TOO_LARGE
 * "too_large" over JY_HTTP_DOCUMENT_MAX_BYTES; JY_UNSUPPORTED_MEDIA_TYPE
 * "unsupported_document_type" (415); JY_UNPROCESSABLE "unknown_document" (field "kind"),
 * "too_many_documents" (over JY_DOCUMENTS_MAX_PER_APPLICATION); JY_IO when the file cannot be
 * written; store errors. Outputs untouched on failure.
 */
enum jy_err jy_documents_upload(struct jy_service *svc, const struct jy_actor *actor,
                                const char *number, const char *kind, const void *data, size_t len,
                                struct jy_store_document *ret, bool *ret_existing,
                                struct jy_error *err);

/* Call `fn` for each document of application `number`, in upload order, until it returns
 * false. Errors as jy_query_get(). */
enum jy_err jy_documents_list(struct jy_service *svc, const struct jy_actor *actor,
                              const char *number,
                              bool (*fn)(void *ctx, const struct jy_store_document *d), void *ctx,
                              struct jy_error *err);

/*
 * Read document `sha256` (64 hex digits, any case) of application `number` for download:
 * `*ret_doc` gets its row and `*ret_data` its bytes (`*ret_len` of them; malloc'd, the caller
 * frees them with free()). The bytes are checked against their SHA-256 on the way out.
 * Errors as jy_query_get(); JY_NOT_FOUND "not_found" (field "sha256") when the application has
 * no such document (a malformed sha256 included); JY_IO "document_missing" or
 * "document_corrupt" when the file is gone or no longer matches its hash; JY_NOMEM.
 * Outputs untouched on failure.
 */
enum jy_err jy_documents_read(struct jy_service *svc, const struct jy_actor *actor,
                              const char *number, const char *sha256,
                              struct jy_store_document *ret_doc, void **ret_data, size_t *ret_len,
                              struct jy_error *err);

#endif /* JY_DOCUMENTS_H */
