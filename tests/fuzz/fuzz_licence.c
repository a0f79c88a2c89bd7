/*
 * fuzz_licence.c — libFuzzer target for the licence class parser (src/core/licence.c).
 *
 * A class string that parses formats back to a canonical text that parses to the same mask;
 * anything else fails with a reason and leaves the output untouched. The same bytes also go
 * through the single-class lookup and, split at the first NUL, through the permits predicate.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/licence.h"
#include "../../src/limits.h"

#include "../../src/banned.h"

static void check(bool ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    unsigned mask = 0xA5A5A5A5u;
    struct jy_error err;
    enum jy_err rc = jy_licence_classes_parse(s, size, &mask, &err);
    if (rc == JY_OK) {
        check(mask != 0 && (mask & ~JY_LICENCE_ALL) == 0);
        char text[JY_LICENCE_CLASSES_TEXT_SIZE];
        jy_licence_classes_format(mask, text);
        unsigned again = 0;
        check(jy_licence_classes_parse(text, strlen(text), &again, NULL) == JY_OK);
        check(again == mask);
        check((jy_licence_classes_permitted(mask) & mask) == mask);
        check(jy_licence_classes_permitted(jy_licence_classes_permitted(mask)) ==
              jy_licence_classes_permitted(mask));
    } else {
        check(mask == 0xA5A5A5A5u && err.code == rc && err.reason[0] != '\0');
    }

    const struct jy_licence_class *c = jy_licence_class_find(s, size);
    if (c) {
        unsigned one = 0;
        check(jy_licence_classes_parse(s, size, &one, NULL) == JY_OK);
        check(one == JY_LICENCE_BIT(c->id));
    }

    /* "held\0wanted" through the predicate */
    if (size <= 2 * JY_IDENT_MAX_BYTES) {
        char buf[2 * JY_IDENT_MAX_BYTES + 2];
        memcpy(buf, data, size);
        buf[size] = '\0';
        buf[size + 1] = '\0';
        size_t held_len = strlen(buf);
        const char *wanted = buf + held_len + (held_len < size ? 1 : 0);
        bool p = jy_licence_class_permits(buf, wanted);
        if (p) {
            unsigned held = 0;
            check(jy_licence_classes_parse(buf, held_len, &held, NULL) == JY_OK);
            const struct jy_licence_class *w = jy_licence_class_find(wanted, strlen(wanted));
            check(w && (jy_licence_classes_permitted(held) & JY_LICENCE_BIT(w->id)));
        }
    }
    return 0;
}
