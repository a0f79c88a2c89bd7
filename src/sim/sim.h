/*
 * sim.h — the city simulator: a discrete-event simulation of a city's branches, back-office
 * centre, vans and carrier over D days, driven through the real use cases (intake, claim by
 * number, complete, return, resubmit, refuse; closing the branch bags, the centre's reception
 * scans, closing the dispatch batch, the mail centre's scans; the carrier's feed) on a real
 * store, with the service's clock pinned to each event's time.
 *
 * The model (every figure is a parameter below or in sim.c, and is printed by `jingyou help
 * simulate`):
 * - Branches: the city's branches (the demo city's 160), each with a size drawn once from a
 *   lognormal (cv 0.5) that shares out the city's applications per day (default 1,800, every
 *   day of the week: branches open daily 08:30–17:30, the centre only on working days of the
 *   official calendar). Arrivals are a Poisson process whose rate follows the counter's hours
 *   (a morning and an afternoon peak); one counter, or two at the larger branches, each clerk
 *   taking a lognormal 4 minutes (cv 0.4) per application. Customers in the hall at closing are
 *   still served.
 * - Business mix (W02, fines, never reaches the centre): D03 renewal 20 %, V07 inspection
 *   sticker 15 %, D01 lost licence 10 %, V03 vehicle licence 10 %, D05 medical certificate 8 %,
 *   D02 5 %, W01 violations 5 %, V01 4 %, V05 4 %, V06 4 %, D04 3 %, D06 3 %, V02 3 %, V04 3 %,
 *   V08 3 % — renewals and stickers are the bulk of a counter's day.
 * - Paper: the online record is at the centre at once (review, approval, print and production
 *   work on it); the paper file travels in the branch's bag, which its clerk closes at 17:30
 *   every day (the branch's cut-off; a file accepted after it goes into the next day's bag),
 *   and the morning van brings the bags to the centre at 08:15 on the next working day, where
 *   logistics opens each bag, scans every file in and closes its reception. Archive takes an
 *   application only once its paper was scanned in (a city of the simulator's own also turns
 *   the archive gate on, so the service checks it too). The counts of every bag and scan must
 *   agree with the simulator's own record, or the run stops.
 * - Stations: operators work 08:30–12:00 and 13:00–17:30 on working days, each taking the
 *   oldest-due item waiting at its station (claimed by number — the envelope in hand — then
 *   completed), with lognormal service times (cv 0.5; means: review 50 s, approval 20 s,
 *   print 40 s, production 45 s, archive 15 s, dispatch 25 s; never past the 15-minute lease).
 * - Corrections and refusals: 3 % of applications are sent back from review (补正) with a
 *   return reason; the branch resubmits 1–3 days later in its opening hours. 0.5 % are refused
 *   by the police at approval (不予受理).
 * - Dispatch and carrier: at 17:00 on working days an operator at dispatch closes the batch of
 *   the envelopes sealed before the cut-off, and the mail centre scans each one in (shipped); EMS
 * delivers 1 day later (65 %) or 2 days later (35 %) between 09:00 and 19:00; 3 % of first attempts
 * fail and are delivered the next day.
 *
 * Figures: per day and overall — accepted, completed (delivered, or closed for types without
 * delivery), refused, backlog per station at the end of the day (waiting or in hand; archive
 * includes what waits for its paper file, also given on its own as archive_waiting_paper), SLA met
 * (finished by the due date, over what finished that day — null when nothing did; overall also
 * counting as missed what is still open, and not in correction, when its due day is over; refusals
 * are not counted), p50 and p90 turnaround in working days (acceptance day to finish day, as the
 * due date counts), each station's operator utilisation (busy time over the operators' working
 * time), and the bottleneck (the most utilised station).
 *
 * Randomness: separate seeded streams for demand (branches, arrivals, clerks, business types,
 * and which applications will be returned, refused or fail delivery), each station's service
 * times, the rest of the back office, and the carrier — so that a what-if with other operators
 * meets the very same customers.
 *
 * Transactions: the simulator opens a store batch (store.h) and commits it once per simulated
 * minute (or per cfg->commit_minutes) in which something happened; each use case keeps its own
 * all-or-nothing savepoint. Its commits are not fsync'd one by one (jy_store_conn_set_bulk): the
 * data is simulated, and a city-year would otherwise wait on the disk for most of its run.
 */
#ifndef JY_SIM_H
#define JY_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "core/catalog.h"
#include "core/date.h"
#include "service/service.h"

/* The longest run, in days: a year and a bit, within a calendar's reach. */
#define JY_SIM_MAX_DAYS 400
/* The most applications a day, and operators at one station. */
#define JY_SIM_MAX_RATE 20000
#define JY_SIM_MAX_OPERATORS 99

struct jy_sim_config {
    int days;                         /* 1..JY_SIM_MAX_DAYS */
    uint64_t seed;                    /* the PRNG's seed */
    struct jy_date start;             /* the first simulated day (Asia/Shanghai) */
    int operators[JY__STATION_COUNT]; /* per station, 1..JY_SIM_MAX_OPERATORS */
    int rate;                         /* applications a day, 1..JY_SIM_MAX_RATE */
    int commit_minutes;               /* commit the batch once per this many simulated minutes
                                         (1..1440; default 1) */
    bool quiet;                       /* no progress lines on stderr */
};

/* The defaults: 2 days from 2025-12-01 (a Monday), seed 1, the demo centre's 20 operators
 * (review 6, approval 2, print 3, production 4, archive 2, dispatch 3), 1,800 a day. */
void jy_sim_config_default(struct jy_sim_config *cfg);

/* Parse "review=6,approval=2,…" into cfg->operators (stations not named keep their value).
 * Errors (JY_INVALID, field "operators"): "unknown_station" naming it, "bad_count" for a
 * count that is not a whole number in 1..JY_SIM_MAX_OPERATORS, "bad_operators" for an item
 * without '='. */
enum jy_err jy_sim_operators_parse(const char *text, struct jy_sim_config *cfg,
                                   struct jy_error *err);

/* Opaque result of a run. */
struct jy_sim_report;

/*
 * Make the city ready in `svc`'s database: when it has no users, the demo city's settings,
 * branches and users (demo.h) with `password_hash` for each login; then, whatever was there,
 * a clerk for each branch without one ("wh001"…) and the operators cfg->operators asks for
 * beyond the demo's ("review7"…), and a second EMS number range (EB, ten million numbers) for
 * a city-year. Errors:
 * store and auth errors.
 */
enum jy_err jy_sim_prepare(struct jy_service *svc, const struct jy_sim_config *cfg,
                           const char *password_hash, struct jy_error *err);

/*
 * Run the simulation on `svc` (prepared by jy_sim_prepare), pinning its clock to each event's
 * time and leaving it pinned at the end of the last day (jy_service_set_clock(svc, 0) lets it
 * run again). `*ret` is the report (jy_sim_report_free). Errors: JY_NO_DATA
 * "calendar_year_missing" when the calendar does not cover the days simulated and their due
 * dates (nothing is written); any use case's error, which stops the run with what was
 * committed so far kept (the message names the step); JY_NOMEM.
 */
enum jy_err jy_sim_run(struct jy_service *svc, const struct jy_sim_config *cfg,
                       struct jy_sim_report **ret, struct jy_error *err);

/* The report as JSON (caller owns): {"config", "days": [...], "overall", "run"}; "run" holds
 * the wall-clock figures, which differ between runs; everything else is a function of the
 * configuration. NULL when out of memory. */
json_t *jy_sim_report_json(const struct jy_sim_report *r);

/* The report as tables with Chinese and English headings. */
void jy_sim_report_print(const struct jy_sim_report *r, FILE *out);

void jy_sim_report_free(struct jy_sim_report *r);

#endif /* JY_SIM_H */
