/*
 * stream.c — streamed response bodies: the stream object and its wake-up (see response.h).
 * The sending side (the content reader that suspends the connection) is in server.c.
 */
#include <stdlib.h>

#include <microhttpd.h>

#include "http/internal.h"
#include "http/response.h"

#include "banned.h"

enum jy_err jy_http_stream_new(jy_http_stream_read_fn *read, jy_http_stream_free_fn *free_fn,
                               struct jy_http_stream **ret, struct jy_error *err)
{
    struct jy_http_stream *s = calloc(1, sizeof(*s));
    if (!s)
        return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
    pthread_mutex_init(&s->mu, NULL);
    s->read = read;
    s->free_fn = free_fn;
    *ret = s;
    return JY_OK;
}

void jy_http_stream_attach(struct jy_http_stream *s, void *source)
{
    s->source = source;
}

void jy__http_stream_wake_locked(struct jy_http_stream *s)
{
    if (s->suspended) {
        s->suspended = false;
        MHD_resume_connection(s->conn);
    } else {
        s->pending = true;
    }
}

void jy_http_stream_wake(void *stream)
{
    struct jy_http_stream *s = stream;
    pthread_mutex_lock(&s->mu);
    jy__http_stream_wake_locked(s);
    pthread_mutex_unlock(&s->mu);
}

void jy_http_stream_free(struct jy_http_stream *s)
{
    if (!s)
        return;
    if (s->free_fn && s->source)
        s->free_fn(s->source);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

void jy_http_response_stream(struct jy_http_response *res, int status, const char *content_type,
                             struct jy_http_stream *stream)
{
    jy__http_response_reset(res);
    res->status = status;
    res->content_type = content_type;
    res->stream = stream;
}
