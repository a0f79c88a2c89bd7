/*
 * http_reply.h — what the tests that talk to the real server over HTTP (libcurl) gather of a
 * reply: its status, its body and its header lines, with the libcurl callbacks that fill it.
 *
 * Included by tests/unit/{http_server,http_server_flow}.c after <cmocka.h>.
 */
#ifndef JY_TEST_HTTP_REPLY_H
#define JY_TEST_HTTP_REPLY_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Zeroed before a request. `body` (NUL-terminated, `len` bytes, NULL when empty) is the
 * caller's to free; header lines that would overflow `headers` are dropped. */
struct reply {
    long status;
    char *body;
    size_t len;
    char headers[16384];
    size_t hlen;
};

/* CURLOPT_WRITEFUNCTION with the struct reply as CURLOPT_WRITEDATA: appends to the body. */
static inline size_t on_body(char *data, size_t size, size_t n, void *cls)
{
    struct reply *r = cls;
    size_t k = size * n;
    char *grown = realloc(r->body, r->len + k + 1);
    assert_non_null(grown);
    r->body = grown;
    memcpy(r->body + r->len, data, k);
    r->len += k;
    r->body[r->len] = '\0';
    return k;
}

/* CURLOPT_HEADERFUNCTION with the struct reply as CURLOPT_HEADERDATA: appends a header line. */
static inline size_t on_header(char *data, size_t size, size_t n, void *cls)
{
    struct reply *r = cls;
    size_t k = size * n;
    if (r->hlen + k < sizeof(r->headers)) {
        memcpy(r->headers + r->hlen, data, k);
        r->hlen += k;
        r->headers[r->hlen] = '\0';
    }
    return k;
}

#endif /* JY_TEST_HTTP_REPLY_H */
