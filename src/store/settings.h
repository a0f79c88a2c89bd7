/*
 * settings.h — the centre's run-time settings (table `settings`): key → text value.
 *
 * Keys in use: "centre_code" (prefix of application numbers, "WH"), "centre_name_zh";
 * "custody_archive_gate", "dispatch_cutoff", "s10_low_threshold" (service/custody.h). The EMS
 * item-number ranges, once settings s10_*, are in table s10_ranges (store/custody.h).
 */
#ifndef JY_STORE_SETTINGS_H
#define JY_STORE_SETTINGS_H

#include <stddef.h>

#include "store.h"

/* Copy the value of `key` into `buf` (`size` bytes). JY_NOT_FOUND when unset; JY_TOO_LONG when
 * the value does not fit (`buf` then holds ""). */
enum jy_err jy_store_setting_get(struct jy_store_conn *conn, const char *key, char *buf,
                                 size_t size, struct jy_error *err);

/* Set `key` to `value` (insert or replace). Runs in its own transaction when none is open. */
enum jy_err jy_store_setting_set(struct jy_store_conn *conn, const char *key, const char *value,
                                 struct jy_error *err);

#endif /* JY_STORE_SETTINGS_H */
