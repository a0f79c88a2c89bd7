/*
 * json.c — request-body parsing with limits, and the typed getters.
 *
 * The depth is checked by a scan before jansson sees the text, so a hostile body of a million
 * '[' costs one linear pass and never reaches jansson's recursive parser.
 */
#include "http/json.h"

#include <inttypes.h>
#include <string.h>

#include "http/text.h"
#include "limits.h"

#include "banned.h"

enum jy_err jy_json_check_depth(const char *buf, size_t len, size_t max_depth, struct jy_error *err)
{
    size_t depth = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < len; i++) {
        char c = buf[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return jy_error_set(err, JY_INVALID, "too_deep", NULL,
                                    "JSON nests deeper than %zu levels (at byte %zu)", max_depth,
                                    i);
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return JY_OK;
}

static bool only_space(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r' && buf[i] != '\n')
            return false;
    return true;
}

enum jy_err jy_json_parse_body(const char *buf, size_t len, json_t **ret, struct jy_error *err)
{
    if (!buf || only_space(buf, len))
        return jy_error_set(err, JY_INVALID, "empty_body", NULL, "the request body is empty");
    size_t valid = jy_utf8_valid_prefix(buf, len);
    if (valid != len)
        return jy_error_set(err, JY_INVALID, "invalid_utf8", NULL,
                            "the request body is not valid UTF-8 (at byte %zu)", valid);
    enum jy_err e = jy_json_check_depth(buf, len, JY_JSON_MAX_DEPTH, err);
    if (e != JY_OK)
        return e;

    json_error_t jerr;
    json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!root) {
        enum json_error_code code = json_error_code(&jerr);
        if (code == json_error_out_of_memory)
            return jy_error_set(err, JY_NOMEM, NULL, NULL, NULL);
        return jy_error_set(err, JY_INVALID,
                            code == json_error_duplicate_key ? "duplicate_key" : "malformed_json",
                            NULL, "malformed JSON at line %d, column %d (byte %d): %s", jerr.line,
                            jerr.column, jerr.position, jerr.text);
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return jy_error_set(err, JY_INVALID, "not_an_object", NULL,
                            "the request body must be a JSON object");
    }
    *ret = root;
    return JY_OK;
}

/* ---- getters ---- */

/* Find the value at dotted `path` in `obj`. Sets `*ret` to the value, or NULL when it (or an
 * object on the way) is absent or null. Fails with wrong_type when something on the way is not
 * an object, naming the path up to it. */
static enum jy_err lookup(const json_t *obj, const char *path, const json_t **ret,
                          struct jy_error *err)
{
    if (!path || path[0] == '\0') {
        *ret = json_is_null(obj) ? NULL : obj;
        return JY_OK;
    }
    size_t plen = strlen(path);
    if (plen > JY_JSON_PATH_MAX)
        return jy_error_set(err, JY_INTERNAL, "path_too_long", NULL, "field path too long");
    const json_t *cur = obj;
    size_t pos = 0;
    while (cur && !json_is_null(cur)) {
        if (!json_is_object(cur)) {
            char prefix[JY_JSON_PATH_MAX + 1];
            size_t n = pos ? pos - 1 : 0;
            memcpy(prefix, path, n);
            prefix[n] = '\0';
            return jy_error_set(err, JY_INVALID, "wrong_type", prefix, "%s must be an object",
                                n ? prefix : "the body");
        }
        const char *dot = memchr(path + pos, '.', plen - pos);
        size_t klen = dot ? (size_t)(dot - (path + pos)) : plen - pos;
        cur = json_object_getn(cur, path + pos, klen);
        if (!dot)
            break;
        pos += klen + 1;
    }
    *ret = (cur && !json_is_null(cur)) ? cur : NULL;
    return JY_OK;
}

/* The common start of every getter: the value, or JY_OK with `*ret_absent` set. */
static enum jy_err fetch(const json_t *obj, const char *path, bool required, const json_t **ret,
                         bool *ret_absent, struct jy_error *err)
{
    const json_t *v = NULL;
    enum jy_err e = lookup(obj, path, &v, err);
    if (e != JY_OK)
        return e;
    if (!v) {
        if (required)
            return jy_error_set(err, JY_INVALID, "missing_field", path, "%s is required", path);
        *ret_absent = true;
        return JY_OK;
    }
    *ret_absent = false;
    *ret = v;
    return JY_OK;
}

static enum jy_err wrong_type(const char *path, const char *what, struct jy_error *err)
{
    return jy_error_set(err, JY_INVALID, "wrong_type", path, "%s must be %s", path, what);
}

enum jy_err jy_json_get_string(const json_t *obj, const char *path, bool required, size_t max_bytes,
                               const char **ret, struct jy_error *err)
{
    const json_t *v = NULL;
    bool absent = false;
    enum jy_err e = fetch(obj, path, required, &v, &absent, err);
    if (e != JY_OK || absent)
        return e;
    if (!json_is_string(v))
        return wrong_type(path, "a string", err);
    size_t len = json_string_length(v);
    if (required && len == 0)
        return jy_error_set(err, JY_INVALID, "missing_field", path, "%s must not be empty", path);
    if (max_bytes && len > max_bytes)
        return jy_error_set(err, JY_TOO_LONG, "too_long", path, "%s is longer than %zu bytes", path,
                            max_bytes);
    *ret = json_string_value(v);
    return JY_OK;
}

enum jy_err jy_json_get_int(const json_t *obj, const char *path, bool required, int64_t min,
                            int64_t max, int64_t *ret, struct jy_error *err)
{
    const json_t *v = NULL;
    bool absent = false;
    enum jy_err e = fetch(obj, path, required, &v, &absent, err);
    if (e != JY_OK || absent)
        return e;
    if (!json_is_integer(v))
        return wrong_type(path, "an integer", err);
    json_int_t n = json_integer_value(v);
    if (n < min || n > max)
        return jy_error_set(err, JY_RANGE, "out_of_range", path,
                            "%s must be between %" PRId64 " and %" PRId64, path, min, max);
    *ret = (int64_t)n;
    return JY_OK;
}

enum jy_err jy_json_get_bool(const json_t *obj, const char *path, bool required, bool *ret,
                             struct jy_error *err)
{
    const json_t *v = NULL;
    bool absent = false;
    enum jy_err e = fetch(obj, path, required, &v, &absent, err);
    if (e != JY_OK || absent)
        return e;
    if (!json_is_boolean(v))
        return wrong_type(path, "true or false", err);
    *ret = json_is_true(v);
    return JY_OK;
}

enum jy_err jy_json_get_object(const json_t *obj, const char *path, bool required,
                               const json_t **ret, struct jy_error *err)
{
    const json_t *v = NULL;
    bool absent = false;
    enum jy_err e = fetch(obj, path, required, &v, &absent, err);
    if (e != JY_OK || absent)
        return e;
    if (!json_is_object(v))
        return wrong_type(path, "an object", err);
    *ret = v;
    return JY_OK;
}

enum jy_err jy_json_get_array(const json_t *obj, const char *path, bool required, size_t max_items,
                              const json_t **ret, struct jy_error *err)
{
    const json_t *v = NULL;
    bool absent = false;
    enum jy_err e = fetch(obj, path, required, &v, &absent, err);
    if (e != JY_OK || absent)
        return e;
    if (!json_is_array(v))
        return wrong_type(path, "an array", err);
    if (json_array_size(v) > max_items)
        return jy_error_set(err, JY_INVALID, "too_many_items", path,
                            "%s may have at most %zu items", path, max_items);
    *ret = v;
    return JY_OK;
}

enum jy_err jy_json_check_keys(const json_t *obj, const char *path, const char *const allowed[],
                               struct jy_error *err)
{
    const json_t *v = NULL;
    enum jy_err e = lookup(obj, path, &v, err);
    if (e != JY_OK)
        return e;
    if (!v)
        return JY_OK;
    if (!json_is_object(v))
        return wrong_type(path && path[0] ? path : "the body", "an object", err);
    const char *key;
    size_t klen;
    json_t *value;
    void *tmp;
    json_object_keylen_foreach_safe((json_t *)v, tmp, key, klen, value)
    {
        (void)value;
        bool ok = false;
        for (size_t i = 0; allowed && allowed[i]; i++)
            if (strlen(allowed[i]) == klen && memcmp(allowed[i], key, klen) == 0) {
                ok = true;
                break;
            }
        if (ok)
            continue;
        char field[64];
        /* The key came from the client: keep it printable in the message, cut to fit. */
        size_t shown = jy_utf8_valid_prefix(key, klen < 40 ? klen : 40);
        if (path && path[0])
            snprintf(field, sizeof(field), "%s.%.*s", path, (int)shown, key);
        else
            snprintf(field, sizeof(field), "%.*s", (int)shown, key);
        return jy_error_set(err, JY_INVALID, "unknown_field", field, "unknown field %s", field);
    }
    return JY_OK;
}
