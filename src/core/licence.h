/*
 * licence.h — driving-licence classes (准驾车型) and the renewal window.
 *
 * The seventeen classes and what each also permits are those of 《机动车驾驶证申领和使用规定》
 * (公安部令第162号, in force 2022-04-01), which added C6 (light tractor-trailer) and renamed A2
 * (heavy tractor-trailer). A licence can carry several classes, printed together ("C1E", "A2D");
 * this module parses such a string into a bitmask over `enum jy_licence_class_id` and answers
 * whether a licence permits a class. It also checks the expiry renewal window of business D03.
 *
 * Pure functions over constant tables; thread-safe.
 */
#ifndef JY_LICENCE_H
#define JY_LICENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "../error.h"
#include "date.h"

/* The classes, in the order in which a licence prints them. */
enum jy_licence_class_id {
    JY_LICENCE_A1, /* 大型客车 large bus */
    JY_LICENCE_A2, /* 重型牵引挂车 heavy tractor-trailer */
    JY_LICENCE_A3, /* 城市公交车 city bus */
    JY_LICENCE_B1, /* 中型客车 medium bus */
    JY_LICENCE_B2, /* 大型货车 large truck */
    JY_LICENCE_C1, /* 小型汽车 small car */
    JY_LICENCE_C2, /* 小型自动挡汽车 small automatic car */
    JY_LICENCE_C3, /* 低速载货汽车 low-speed truck */
    JY_LICENCE_C4, /* 三轮汽车 three-wheeled vehicle */
    JY_LICENCE_C5, /* 残疾人专用小型自动挡载客汽车 car for disabled drivers */
    JY_LICENCE_C6, /* 轻型牵引挂车 light tractor-trailer */
    JY_LICENCE_D,  /* 普通三轮摩托车 three-wheeled motorcycle */
    JY_LICENCE_E,  /* 普通二轮摩托车 two-wheeled motorcycle */
    JY_LICENCE_F,  /* 轻便摩托车 moped */
    JY_LICENCE_M,  /* 轮式专用机械车 wheeled special machinery */
    JY_LICENCE_N,  /* 无轨电车 trolleybus */
    JY_LICENCE_P,  /* 有轨电车 tram */
    JY__LICENCE_CLASS_COUNT
};

/* The bit of class `id` in a class mask. */
#define JY_LICENCE_BIT(id) (1u << (id))

/* A mask with every class set. */
#define JY_LICENCE_ALL ((1u << JY__LICENCE_CLASS_COUNT) - 1u)

/* Room for every class written together ("A1A2A3B1B2C1C2C3C4C5C6DEFMNP", 28 bytes) plus NUL. */
#define JY_LICENCE_CLASSES_TEXT_SIZE 29

/* One class. `permits` is the mask of every class this one allows its holder to drive: itself
 * and the classes listed under "also permits" in 公安部令第162号 (e.g. A1: A3 B1 B2 C1 C2 C3
 * C4 M). The table already lists the full closure — a class it permits permits nothing beyond
 * it — and tests/unit/licence.c checks that. */
struct jy_licence_class {
    enum jy_licence_class_id id;
    const char *code;    /* "A1", "C6", "D" */
    const char *name_zh; /* "大型客车" */
    const char *name_en; /* "Large bus" */
    unsigned permits;    /* mask of JY_LICENCE_BIT(), including the class itself */
};

/* The class with code `code` (`len` bytes; surrounding ASCII spaces trimmed, letters in any
 * case: "c1" finds C1). Exactly one class: "C1E" is not found here (see
 * jy_licence_classes_parse). Returns a pointer into a static table, or NULL when unknown or
 * longer than JY_IDENT_MAX_BYTES. */
const struct jy_licence_class *jy_licence_class_find(const char *code, size_t len);

/* The class `id`, or NULL when `id` is out of range. Returns a pointer into a static table. */
const struct jy_licence_class *jy_licence_class_at(enum jy_licence_class_id id);

/* Parse a licence's class string `s` (`len` bytes, no NUL needed): one or more classes
 * written together in any order and letter case, surrounding ASCII spaces trimmed ("C1",
 * "c1e", "A2D", "EC1"); nothing may separate two classes ("C1 E" is refused). On success stores
 * the mask of the classes written (not their closure) in `*ret_mask`; jy_licence_classes_format
 * gives its normalised text.
 * Errors (`*ret_mask` untouched): JY_TOO_LONG (more than JY_IDENT_MAX_BYTES), JY_INVALID with
 * reason "empty", "unknown_licence_class" (e.g. "A4", "G", a lone "C"), "bad_character"
 * (a byte that cannot start a class) or "duplicate_licence_class" ("C1C1"). */
enum jy_err jy_licence_classes_parse(const char *s, size_t len, unsigned *ret_mask,
                                     struct jy_error *err);

/* Write the classes of `mask` together in the licence's order ("C1E") into `buf`; bits outside
 * JY_LICENCE_ALL are ignored; an empty mask gives "". Returns `buf`. The result parses back to
 * the same mask. */
char *jy_licence_classes_format(unsigned mask, char buf[JY_LICENCE_CLASSES_TEXT_SIZE]);

/* Every class that a licence holding the classes `held_mask` may drive (the union of their
 * `permits`). */
unsigned jy_licence_classes_permitted(unsigned held_mask);

/* True when a licence with the class string `held` (NUL-terminated, as for
 * jy_licence_classes_parse: "C1", "A2D") permits driving class `wanted` (NUL-terminated, exactly
 * one class). A class permits itself. False when either is NULL, unknown or malformed.
 * Example: "A1" permits "C2"; "C1" does not permit "B2"; "C1E" permits "F". */
bool jy_licence_class_permits(const char *held, const char *wanted);

/* Check that a licence expiring on `expiry` may be renewed at expiry (business D03) on
 * `today`: JY_OK when `today` lies within `window_days` days before `expiry`, both ends
 * included — from expiry − window_days through the expiry day itself. 公安部令第162号
 * 第六十三条 sets the window at 90 days (the catalog's D03 rule "renewal_window_days").
 * Errors:
 *   JY_INVALID "bad_date"            — `expiry` or `today` is not a real date;
 *   JY_RANGE "bad_window"            — `window_days` outside 0..JY_CATALOG_MAX_WINDOW_DAYS;
 *   JY_UNPROCESSABLE "too_early_for_renewal" — before the window; the message gives the first
 *                                      allowed date;
 *   JY_UNPROCESSABLE "licence_expired" — after the expiry day. An expired licence is not
 *                                      renewed under D03: in practice it is a different business
 *                                      at the vehicle administration office (overdue renewal, and
 *                                      after a year the licence is cancelled), which this
 *                                      catalog does not offer at the post counter.
 * The field of these errors is "licence.expiry". */
enum jy_err jy_licence_renewal_window(struct jy_date expiry, struct jy_date today, int window_days,
                                      struct jy_error *err);

#endif /* JY_LICENCE_H */
