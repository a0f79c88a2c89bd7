/*
 * error.c — names, statuses and messages of `enum jy_err`, and the detail record.
 */
#include "error.h"

#include <stdio.h>
#include <string.h>

#include "banned.h"

static const struct {
    const char *name;
    int status;
    const char *message;
} err_table[] = {
#define JY__ERR_ROW(name, str, status, msg) {str, status, msg},
    JY_ERR_TABLE(JY__ERR_ROW)
#undef JY__ERR_ROW
};

const char *jy_err_name(enum jy_err e)
{
    if ((int)e < 0 || e >= JY__ERR_COUNT)
        return "unknown";
    return err_table[e].name;
}

const char *jy_err_message(enum jy_err e)
{
    if ((int)e < 0 || e >= JY__ERR_COUNT)
        return "unknown error";
    return err_table[e].message;
}

int jy_err_http_status(enum jy_err e)
{
    if ((int)e < 0 || e >= JY__ERR_COUNT)
        return 500;
    return err_table[e].status;
}

char *jy_strlcpy(char *dst, const char *src, size_t size)
{
    if (size == 0)
        return dst;
    size_t n = src ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
    return dst;
}

enum jy_err jy_error_set(struct jy_error *err, enum jy_err code, const char *reason,
                         const char *field, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    jy_strlcpy(err->reason, reason ? reason : "", sizeof(err->reason));
    jy_strlcpy(err->field, field ? field : "", sizeof(err->field));
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    } else {
        jy_strlcpy(err->message, jy_err_message(code), sizeof(err->message));
    }
    return code;
}

void jy_error_clear(struct jy_error *err)
{
    if (!err)
        return;
    err->code = JY_OK;
    err->reason[0] = '\0';
    err->field[0] = '\0';
    err->message[0] = '\0';
}
