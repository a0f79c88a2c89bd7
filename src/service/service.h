/*
 * service.h — the service: the one context every use case runs in, and who is acting.
 *
 * A `struct jy_service` holds what the use cases share and never change after start: the
 * store, the business catalog, the working-day calendar (except that an admin's load of a new
 * year swaps in a new calendar whole: service/calendar.h), the centre's code and where scanned
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
#include "render/receipt_sign.h"
#include "core/catalog.h"
#include "error.h"
#include "store/store.h"
#include "store/writer.h"

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
    int64_t clock_start;     /* UTC seconds: the service's clock starts at this time and runs on
                                from it (rehearsals, and tests that must not depend on the day they
                                run); 0: the real time */
    const char *keys_dir;    /* the directory of the receipt signing key pair (receipt_sign.h),
                                loaded once at open; NULL: no key, and receipts cannot be printed
                                or verified (JY_CONFLICT "no_receipt_key"). Borrowed for the call. */
    const char *public_url;  /* where citizens reach the service, the start of the tracking URL
                                in a receipt's QR ("https://jy.example.cn"; printable ASCII, no
                                trailing '/' needed, at most JY_SERVICE_PUBLIC_URL_MAX_BYTES);
                                NULL: "http://127.0.0.1:8080". Copied. */
    bool commit_per_request; /* every use case commits its own transaction (one fsync each)
                                instead of handing its writes to the group-commit writer
                                (store/writer.h); for comparisons (`serve --commit-per-request`) */
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
/* The group-commit writer (store/writer.h) that the hot use cases (intake, claim, complete)
 * hand their writes to; NULL when the service was opened with commit_per_request. */
struct jy_store_writer *jy_service_writer(const struct jy_service *svc);
const struct jy_catalog *jy_service_catalog(const struct jy_service *svc);
/* The calendar in force: the built-in one with the years loaded at run time (service/calendar.h).
 * Valid until jy_service_close(), even after a newer one is installed. */
const struct jy_calendar *jy_service_calendar(const struct jy_service *svc);
/* The calendar built into the binary (or config holidays_csv) alone. Borrowed. */
const struct jy_calendar *jy_service_calendar_builtin(const struct jy_service *svc);
/* Make `cal` (taken; the built-in one itself may be given) the calendar in force, at once for
 * every thread: later jy_service_calendar() calls answer it, and the one it replaces stays valid
 * until jy_service_close(). Callable while other threads read the calendar. Errors: JY_NOMEM
 * (`cal` freed, the calendar in force unchanged). */
enum jy_err jy_service_calendar_install(struct jy_service *svc, struct jy_calendar *cal,
                                        struct jy_error *err);
const char *jy_service_documents_dir(const struct jy_service *svc);
bool jy_service_demo(const struct jy_service *svc);

/* The hall display's broadcaster of calls (service/broadcast.h, service/hall.h), made at open
 * and closed at jy_service_close(). Borrowed. */
struct jy_broadcast *jy_service_hall_calls(const struct jy_service *svc);

/* The failed logins per (username, client address) (service/lockout.h), made at open and freed
 * at jy_service_close(). Borrowed. */
struct jy_lockout *jy_service_logins(const struct jy_service *svc);

/* The centre's code, the prefix of its application numbers ("WH"): the `centre_code` setting,
 * "WH" when unset. Static for the life of the service. */
const char *jy_service_centre_code(const struct jy_service *svc);

/* Now, in UTC seconds: the real time, or the configured clock_start plus the real time elapsed
 * since the service opened, or the time pinned by jy_service_set_clock(). Every use case asks
 * here. */
int64_t jy_service_now(const struct jy_service *svc);

/* Pin the clock at `now` (UTC seconds): jy_service_now() answers `now` until the next call,
 * and 0 lets the clock run again from where config clock_start set it. For the city simulator,
 * whose clock jumps from event to event. Callable while other threads read the clock; each
 * reads either time whole. */
void jy_service_set_clock(struct jy_service *svc, int64_t now);

/* The receipt signing key loaded at open (borrowed, valid until jy_service_close()), or NULL
 * when the service was opened without a key directory. */
const struct jy_receipt_key *jy_service_receipt_key(const struct jy_service *svc);

/* The public base URL (config public_url, without a trailing '/'). Borrowed: valid until the
 * next jy_service_set_public_url() but one, or jy_service_close(). */
const char *jy_service_public_url(const struct jy_service *svc);

/* The longest public base URL, in bytes: what leaves room in JY_RECEIPT_URL_MAX_BYTES for the
 * tracking page's path and an application number. */
#define JY_SERVICE_PUBLIC_URL_MAX_BYTES (JY_RECEIPT_URL_MAX_BYTES - 64)

/* Change the public base URL to `url` (borrowed; copied without trailing '/'): for a server
 * whose port is known only once it listens (--port 0). Requests answered meanwhile read either
 * URL whole. Not to be called from two threads at once. Errors: JY_INVALID "bad_url" (field
 * public_url) for an empty or over-long URL, one not starting with http:// or https://, or one
 * with spaces, control characters, non-ASCII, '#', '?', '"', '<' or '>'. */
enum jy_err jy_service_set_public_url(struct jy_service *svc, const char *url,
                                      struct jy_error *err);

/* The key directory that belongs to database `db_path` (NULL: JY_STORE_DEFAULT_PATH): "keys"
 * in the database's directory, beside the file and never inside it, into `ret` (`size` bytes).
 * Errors: JY_TOO_LONG "path_too_long"; `ret` untouched then. Pure. */
enum jy_err jy_service_keys_dir(const char *db_path, char *ret, size_t size, struct jy_error *err);

/*
 * Run `fn(conn, ctx, err)` as one durable write: through the group-commit writer
 * (store/writer.h: `fn` runs on the writer's thread and connection, inside a savepoint of a
 * shared transaction) when the service has one, else in a transaction of its own on the
 * calling thread's connection (jy_store_begin … jy_store_commit, rolled back when `fn` fails)
 * — so too while the calling thread's connection has a store batch open (jy_store_batch_begin:
 * the city simulator), where that transaction is a savepoint of the batch.
 * Either way JY_OK means the writes are on disk, and an error means none of them was written.
 * `fn` follows the rules of jy_store_work_fn: it uses only the connection it is given and
 * never begins or ends a transaction. A thread with a transaction already open gets the error
 * of jy_store_begin() (JY_INTERNAL), as before group commit. Errors: `fn`'s own, and those of
 * jy_store_begin(), jy_store_commit() and jy_store_writer_run().
 */
enum jy_err jy_service_write(struct jy_service *svc, jy_store_work_fn fn, void *ctx,
                             struct jy_error *err);

/* The calling thread's store connection (see jy_store_conn_get()). */
enum jy_err jy_service_conn(const struct jy_service *svc, struct jy_store_conn **ret,
                            struct jy_error *err);

#endif /* JY_SERVICE_H */
