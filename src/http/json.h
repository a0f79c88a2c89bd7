/*
 * json.h — request bodies as JSON: parsing with limits, and typed field getters whose errors name
 * the field.
 *
 * A body is parsed only if it is well-formed UTF-8, nested at most JY_JSON_MAX_DEPTH deep, free
 * of duplicate keys, and an object at the top. Fields are addressed by dotted paths
 * ("applicant.name"); every getter fails with a 400-class jy_err whose `field` is that path and
 * whose `reason` says what was wrong:
 *
 *     missing_field   required but absent, null, or (for strings) empty
 *     wrong_type      present with another JSON type
 *     too_long        a string longer than allowed (bytes of UTF-8)
 *     out_of_range    a number outside the allowed range
 *     too_many_items  an array longer than allowed
 *     unknown_field   a key that is not in the allowed list (jy_json_check_keys)
 *
 * An absent optional field is not an error: the getter returns JY_OK and leaves `*ret`
 * untouched, so the caller's initial value is the default. A present JSON null counts as absent.
 * Returned pointers are borrowed from the object and live as long as it does. Thread-safe on
 * distinct objects (jansson's reference counts are atomic where the platform has atomics).
 */
#ifndef JY_HTTP_JSON_H
#define JY_HTTP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"

/* Longest dotted path a getter accepts, in bytes. */
#define JY_JSON_PATH_MAX 128

/* Check that the JSON text in `buf` (`len` bytes) never nests arrays and objects more than
 * `max_depth` deep (a top-level object is depth 1), without parsing it; brackets inside strings
 * do not count. Errors: JY_INVALID reason "too_deep". */
enum jy_err jy_json_check_depth(const char *buf, size_t len, size_t max_depth,
                                struct jy_error *err);

/* Parse a request body: `len` bytes at `buf` (no NUL needed). On success `*ret` is a new
 * reference to the top-level object (caller releases it with json_decref). Errors (`*ret`
 * untouched), all JY_INVALID (400):
 *   "empty_body"      no bytes, or only white space;
 *   "invalid_utf8"    not well-formed UTF-8 (the message gives the byte offset);
 *   "too_deep"        nesting deeper than JY_JSON_MAX_DEPTH;
 *   "duplicate_key"   an object repeats a key;
 *   "malformed_json"  anything else jansson refuses (the message gives line, column and byte
 *                     position and jansson's text);
 *   "not_an_object"   the top level is an array, a string, a number …
 * and JY_NOMEM. */
enum jy_err jy_json_parse_body(const char *buf, size_t len, json_t **ret, struct jy_error *err);

/* The string at `path` in `obj`: at most `max_bytes` bytes (0: no limit beyond the body's);
 * when `required`, present and non-empty. `*ret` is borrowed from `obj`. */
enum jy_err jy_json_get_string(const json_t *obj, const char *path, bool required, size_t max_bytes,
                               const char **ret, struct jy_error *err);

/* The integer at `path` (a JSON integer, not a real) within [min, max]. */
enum jy_err jy_json_get_int(const json_t *obj, const char *path, bool required, int64_t min,
                            int64_t max, int64_t *ret, struct jy_error *err);

/* The boolean (true or false) at `path`. */
enum jy_err jy_json_get_bool(const json_t *obj, const char *path, bool required, bool *ret,
                             struct jy_error *err);

/* The object at `path`; `*ret` borrowed from `obj`. */
enum jy_err jy_json_get_object(const json_t *obj, const char *path, bool required,
                               const json_t **ret, struct jy_error *err);

/* The array at `path` with at most `max_items` elements; `*ret` borrowed from `obj`. */
enum jy_err jy_json_get_array(const json_t *obj, const char *path, bool required, size_t max_items,
                              const json_t **ret, struct jy_error *err);

/* Refuse keys that are not in `allowed` (a NULL-terminated list) in the object at `path`
 * (NULL or "" for `obj` itself). An absent or null object passes; a non-object at `path` is
 * wrong_type. Errors: JY_INVALID reason "unknown_field", field "path.key" of the first unknown
 * key in document order. */
enum jy_err jy_json_check_keys(const json_t *obj, const char *path, const char *const allowed[],
                               struct jy_error *err);

#endif /* JY_HTTP_JSON_H */
