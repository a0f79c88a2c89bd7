/*
 * service.h — the service: the one context every use case runs in, and who is acting.
 *
 * A `struct jy_service` holds what the use cases share and never change after start: the
 * store, the business catalog, the working-day calendar, the centre's code and where scanned
 * documents live. It is created once by `jingyou serve` (or a command that needs it), shared
 * read-only by every worker thread, and freed at exit.
 *
 * A `struct jy_actor` is the person behind one request: the logged-in user's id, role and
 * scope (a clerk's branch, an operator's stations). Every use case takes one and checks
 * permissions itself, so that the rules hold whichever door (HTTP, CLI) a request comes in by.
 */
#ifndef JY_SERVICE_H
#define JY_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/calendar.h"
#include "core/catalog.h"
#include "error.h"
#include "store/store.h"

/* The roles of DESIGN §2. */
enum jy_role {
    JY_ROLE_CLERK,      /* branch counter clerk, scoped to one branch */
    JY_ROLE_OPERATOR,   /* back-office operator, scoped to stations */
    JY_ROLE_SUPERVISOR, /* police officer at the centre: approves, refuses, sees everything */
    JY_ROLE_LOGISTICS,  /* van crew and mail-centre desk */
    JY_ROLE_MANAGER,    /* post management: figures and reports */
    JY_ROLE_ADMIN,      /* users, branches, catalog, calendar */
    JY__ROLE_COUNT
};

/* The role's code ("clerk", …) as stored and sent; "unknown" outside the enum. Static. */
const char *jy_role_code(enum jy_role role);

/* Parse a role code. False when it is not one. */
bool jy_role_parse(const char *s, enum jy_role *ret);

/* Who is acting. Plain data; copied freely. */
struct jy_actor {
    int64_t user_id; /* users.id; 0 for the system itself (demo seeding, imports) */
    enum jy_role role;
    int64_t branch_id; /* clerks: their branch; 0 otherwise */
    unsigned stations; /* operators: bit (1u << enum jy_station) per assigned station */
    char username[33];
    char display_name[121];
};

/* The system actor: used by commands that act on nobody's behalf. */
struct jy_actor jy_actor_system(void);

/* True when `actor` may act at `station`: an operator assigned to it, or a supervisor at
 * approval (police sign-off) — DESIGN §2, §3. */
bool jy_actor_at_station(const struct jy_actor *actor, enum jy_station station);

/* Parse a comma-separated station list ("review,approval") into a bitmask. JY_INVALID naming
 * the unknown station. */
enum jy_err jy_stations_parse(const char *list, unsigned *ret, struct jy_error *err);

struct jy_service_config {
    const char *db_path;       /* the SQLite file; NULL: JY_STORE_DEFAULT_PATH */
    const char *documents_dir; /* scanned documents; NULL: "documents" beside the database */
    bool demo;                 /* demo mode: says so on every response and page */
    const char *holidays_csv;  /* the holiday calendar's text (data/holidays.csv format), for a
                                  calendar newer than the one built in; NULL: the built-in one.
                                  Borrowed for the call only. */
    size_t holidays_csv_len;
    int64_t clock_start; /* UTC seconds: the service's clock starts at this time and runs on
                            from it (rehearsals, and tests that must not depend on the day they
                            run); 0: the real time */
};

/* Opaque. */
struct jy_service;

/* Open the store (creating and migrating it), load the catalog and the calendar built into the
 * binary, and create the documents directory (mode 0700). `*ret` is freed with
 * jy_service_close(). Errors: those of jy_store_open(), of the catalog and calendar loaders
 * (a bad built-in file stops the service with a message naming the entry), JY_IO for the
 * documents directory, JY_NOMEM. */
enum jy_err jy_service_open(const struct jy_service_config *cfg, struct jy_service **ret,
                            struct jy_error *err);

/* Close the store and free everything. Accepts NULL. No thread may use `svc` any more. */
void jy_service_close(struct jy_service *svc);

/* Borrowed parts, valid until jy_service_close(). */
struct jy_store *jy_service_store(const struct jy_service *svc);
const struct jy_catalog *jy_service_catalog(const struct jy_service *svc);
const struct jy_calendar *jy_service_calendar(const struct jy_service *svc);
const char *jy_service_documents_dir(const struct jy_service *svc);
bool jy_service_demo(const struct jy_service *svc);

/* The centre's code, the prefix of its application numbers ("WH"): the `centre_code` setting,
 * "WH" when unset. Static for the life of the service. */
const char *jy_service_centre_code(const struct jy_service *svc);

/* Now, in UTC seconds: the real time, or the configured clock_start plus the real time elapsed
 * since the service opened. Every use case asks here. */
int64_t jy_service_now(const struct jy_service *svc);

/* The calling thread's store connection (see jy_store_conn_get()). */
enum jy_err jy_service_conn(const struct jy_service *svc, struct jy_store_conn **ret,
                            struct jy_error *err);

#endif /* JY_SERVICE_H */
