/*
 * metrics.h — the service's figures for /metrics, gathered by a registry of collectors.
 *
 * Each collector writes one or more families to a jy_prom writer (core/prom.h) from the store
 * at the moment of the scrape. The collectors are one table in metrics.c: a module that has a
 * figure to show adds one line there naming its function, of type jy_metrics_collect_fn, and
 * nothing else changes. Those in the table now:
 *
 *   jingyou_applications_accepted_total   counter  every application accepted
 *   jingyou_station_backlog{station}      gauge    applications waiting at each station
 *   jingyou_station_overdue{station}      gauge    of those, past their due date
 *   jingyou_leases_held                   gauge    leases that have not lapsed
 *   jingyou_database_bytes                gauge    size of the database file (pages × page size)
 *   jingyou_database_wal_bytes            gauge    size of its write-ahead log (0 when none)
 *   jingyou_s10_numbers_left              gauge    EMS item numbers left in the range (settings
 *                                                  s10_first..s10_last, sequence s10)
 *   jingyou_calendar_days_left            gauge    days until the first day without a holiday
 *                                                  calendar (service/calendar.h)
 *
 * Collectors run on the scraping thread with its store connection; they only read.
 */
#ifndef JY_SERVICE_METRICS_H
#define JY_SERVICE_METRICS_H

#include "core/prom.h"
#include "service/service.h"

/* A collector: write its families to `w`, reading through `conn` (the calling thread's).
 * Return store errors; a failing collector fails the scrape (503), since a partial answer
 * would read as zeros. */
typedef enum jy_err jy_metrics_collect_fn(struct jy_service *svc, struct jy_store_conn *conn,
                                          struct jy_prom *w, struct jy_error *err);

/* Run every collector of the table in order into `w`. Errors: the first collector's error. */
enum jy_err jy_metrics_collect(struct jy_service *svc, struct jy_prom *w, struct jy_error *err);

#endif /* JY_SERVICE_METRICS_H */
