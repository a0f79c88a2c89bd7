/*
 * reasons.h — the reason codes of the back office: why an application is sent back to the
 * branch for correction (补正), and why the police refuse it (不予受理).
 *
 * The codes are part of the API (the `reason` of POST …/return and …/refuse, and of the events
 * they write), so they never change once published; the names are what the pages and the
 * citizen's tracking timeline show. Each list ends with "other" (其他), which needs a note saying
 * what the reason is. Pure data and lookups, thread-safe.
 */
#ifndef JY_REASONS_H
#define JY_REASONS_H

#include <stdbool.h>
#include <stddef.h>

/* The two lists. */
enum jy_reason_kind {
    JY_REASON_RETURN,  /* sent back for correction: the applicant can put it right */
    JY_REASON_REFUSAL, /* refused by the police: the application ends, the fee is refunded */
    JY__REASON_KIND_COUNT
};

/* One reason. All strings static. */
struct jy_reason {
    const char *code;    /* "document_missing": [a-z_], stable */
    const char *name_zh; /* "材料不全" */
    const char *name_en; /* "Documents missing" */
    bool note_required;  /* true for "other": the note must say what the reason is */
};

/* The reasons of `kind` in display order into `*ret` (a static array); returns their number,
 * 0 (and `*ret` untouched) for a kind outside the enum. */
size_t jy_reasons(enum jy_reason_kind kind, const struct jy_reason **ret);

/* The reason of `kind` whose code is `code` (`len` bytes, no NUL needed, compared exactly: codes
 * are lower case), or NULL when there is none (also for a NULL `code` or an unknown kind).
 * Static. */
const struct jy_reason *jy_reason_find(enum jy_reason_kind kind, const char *code, size_t len);

/* The reason with code `code` (NUL-terminated) in either list, the return reasons first, or
 * NULL. For showing a stored event, whose reason may come from either list. Static. */
const struct jy_reason *jy_reason_any(const char *code);

#endif /* JY_REASONS_H */
