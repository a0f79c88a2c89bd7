/*
 * api_documents.c — scanned documents of an application.
 *
 *   POST /api/v1/applications/{number}/documents?kind=CODE   raw body (JPEG, PNG or PDF, by
 *        content; at most JY_HTTP_DOCUMENT_MAX_BYTES) → 201 document, 200 when the application
 *        already had these bytes
 *   GET  /api/v1/applications/{number}/documents            → 200 {"items": [document…]}
 *   GET  /api/v1/applications/{number}/documents/{sha256}   → 200 the bytes, their type
 *
 * A document is {"id", "kind", "sha256", "content_type", "size", "uploaded_at"}.
 */
#include "api.h"

#include "core/timestamp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "service/documents.h"
#include "../banned.h"

static json_t *document_json(const struct jy_store_document *d)
{
    char at[JY_TIMESTAMP_TEXT_SIZE];
    return json_pack("{s:I, s:s?, s:s, s:s, s:I, s:s}", "id", (json_int_t)d->id, "kind",
                     d->kind[0] ? d->kind : NULL, "sha256", d->sha256, "content_type",
                     d->content_type, "size", (json_int_t)d->size, "uploaded_at",
                     jy_timestamp_format(d->uploaded_at, at));
}

void jy_api_documents_upload(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    size_t len = 0;
    const void *data = jy_http_request_body(req, &len);
    struct jy_store_document d;
    bool existing = false;
    if (jy_documents_upload(
            jy_api_service(req), jy_api_actor(req), jy_http_request_param(req, "number"),
            jy_http_request_query(req, "kind"), data, len, &d, &existing, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, existing ? 200 : 201, document_json(&d));
}

static bool add_document(void *ctx, const struct jy_store_document *d)
{
    json_t *o = document_json(d);
    return o && json_array_append_new(ctx, o) == 0;
}

void jy_api_documents_list(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    json_t *items = json_array();
    if (!items) {
        jy_http_response_fail(res, JY_NOMEM, NULL, NULL, "out of memory");
        return;
    }
    if (jy_documents_list(jy_api_service(req), jy_api_actor(req),
                          jy_http_request_param(req, "number"), add_document, items,
                          &err) != JY_OK) {
        json_decref(items);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_json(res, 200, json_pack("{s:o}", "items", items));
}

void jy_api_document_get(struct jy_http_request *req, struct jy_http_response *res)
{
    struct jy_error err;
    struct jy_store_document d;
    void *data = NULL;
    size_t len = 0;
    if (jy_documents_read(jy_api_service(req), jy_api_actor(req),
                          jy_http_request_param(req, "number"),
                          jy_http_request_param(req, "sha256"), &d, &data, &len, &err) != JY_OK) {
        jy_http_response_error(res, &err);
        return;
    }
    const char *ext = strcmp(d.content_type, "image/jpeg") == 0  ? "jpg"
                      : strcmp(d.content_type, "image/png") == 0 ? "png"
                                                                 : "pdf";
    char disposition[128];
    snprintf(disposition, sizeof(disposition), "inline; filename=\"%s.%s\"", d.sha256, ext);
    if (jy_http_response_header(res, "Content-Disposition", disposition, &err) != JY_OK) {
        free(data);
        jy_http_response_error(res, &err);
        return;
    }
    jy_http_response_bytes(res, 200, d.content_type, data, len);
}
