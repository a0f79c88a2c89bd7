/*
 * limits.h — every limit on a user-controllable resource, in one place.
 *
 * Any input that crosses one of these is refused with a 4xx and the JSON error shape (over the
 * network) or an error naming the limit (on the command line); nothing is truncated silently.
 * Change a limit here and nowhere else.
 */
#ifndef JY_LIMITS_H
#define JY_LIMITS_H

/* ---- identifiers and text fields (bytes, UTF-8) ---- */

/* Longest identifier any validator accepts as input before normalising (an ID number is 18,
 * a plate at most 9 characters = 27 bytes, a VIN 17, an S10 number 13). Longer input is refused
 * outright as too long, which also bounds the fuzzers' work. */
#define JY_IDENT_MAX_BYTES 64

/* A person's name: up to 50 characters of UTF-8. */
#define JY_NAME_MAX_BYTES 200

/* A delivery address: up to 200 characters of UTF-8. */
#define JY_ADDRESS_MAX_BYTES 800

/* A free-text note on an event (return, refusal): up to 500 characters. */
#define JY_NOTE_MAX_BYTES 2000

/* The most of one command-line argument that a `jingyou` message quotes back (bytes of the
 * argument; control characters and invalid UTF-8 in them are shown escaped, a longer argument
 * is cut and marked with "…"). */
#define JY_CLI_ECHO_MAX_BYTES 64

/* ---- data files ---- */

/* data/catalog.json: the business catalog. */
#define JY_CATALOG_MAX_BYTES (1024 * 1024)
/* Business types in one catalog (16 today; room for local additions). */
#define JY_CATALOG_MAX_TYPES 64
/* Documents, fees and route stations per business type. */
#define JY_CATALOG_MAX_DOCUMENTS 16
#define JY_CATALOG_MAX_FEES 8
#define JY_CATALOG_MAX_ROUTE 8
/* A code in the catalog (business type "V01", document "id_card", fee "ems_postage"). */
#define JY_CATALOG_CODE_MAX_BYTES 32
/* A display name in the catalog (name_zh, name_en): up to about 50 Chinese characters. */
#define JY_CATALOG_NAME_MAX_BYTES 160
/* A business type's free-text note (what is uncertain, where a rule comes from). */
#define JY_CATALOG_NOTE_MAX_BYTES 1000
/* One fee item: 1,000,000 yuan, far above any real fee, so that a typo cannot go unnoticed
 * and a type's total (at most JY_CATALOG_MAX_FEES items) can never overflow. */
#define JY_CATALOG_MAX_FEE_FEN 100000000
/* Age limits (licence classes barred from an age on) in one business type's rules. */
#define JY_CATALOG_MAX_AGE_LIMITS 4
/* Largest renewal window, in days, a rule may give (the real one is 90). */
#define JY_CATALOG_MAX_WINDOW_DAYS 366
/* Largest vehicle age, in years, an inspection rule may name (sticker years are bits 1..30). */
#define JY_CATALOG_MAX_VEHICLE_AGE_YEARS 30

/* data/holidays.csv: the official exceptions to the Monday–Friday rule. */
#define JY_CALENDAR_MAX_BYTES (256 * 1024)
/* Exception dates in one calendar (about 40 a year; 100 years of data). */
#define JY_CALENDAR_MAX_DAYS 4096
/* Years a calendar may cover. */
#define JY_CALENDAR_MIN_YEAR 1990
#define JY_CALENDAR_MAX_YEAR 2199
/* The longest SLA, in working days, a due date may be computed for. */
#define JY_CALENDAR_MAX_WORKING_DAYS 365
/* The name column of one holiday row ("国庆节、中秋节" is 21 bytes). */
#define JY_CALENDAR_MAX_NAME_BYTES 64
/* Loaded calendar years (store/calendar.h, service/calendar.h): the longest source an admin
 * gives for a load (the notice's number and title, 国办发明电〔2026〕N号 …), in bytes. */
#define JY_CALENDAR_SOURCE_MAX_BYTES 500
/* How many days before the last covered day the service warns that next year's notice is
 * missing (healthz, the pages, `check`, the log of `serve`). */
#define JY_CALENDAR_WARN_DAYS 45

/* ---- HTTP (used by src/http) ---- */

/* A JSON request body. */
#define JY_HTTP_JSON_BODY_MAX_BYTES (1024 * 1024)
/* A scanned document upload. */
#define JY_HTTP_DOCUMENT_MAX_BYTES (10 * 1024 * 1024)
/* Nesting depth of a JSON request body. */
#define JY_JSON_MAX_DEPTH 32
/* Request headers per request. */
#define JY_HTTP_MAX_HEADERS 64
/* Items per page in a list; the default when the client gives none. */
#define JY_PAGE_MAX_ITEMS 200
#define JY_PAGE_DEFAULT_ITEMS 50
/* Concurrent connections the server accepts. */
#define JY_HTTP_MAX_CONNECTIONS 1024
/* Seconds a connection may sit idle (no bytes either way) before the server closes it. */
#define JY_HTTP_CONNECTION_TIMEOUT_SECONDS 30
/* Memory per connection for the request line and headers (libmicrohttpd's pool); a request
 * whose headers do not fit is refused by the server library itself, with its own HTML 431 page,
 * before any code of ours runs (src/http/README.md, "Over-long headers"). */
#define JY_HTTP_CONNECTION_MEMORY_BYTES (64 * 1024)
/* All request headers together (names, values, ": " and CRLF); more → 431 "headers_too_large"
 * in the JSON error shape. Well below JY_HTTP_CONNECTION_MEMORY_BYTES, so that the server
 * library's own page answers only requests some 60 KiB of headers long; a browser's cookies
 * and headers for this site are well under 2 KiB. */
#define JY_HTTP_HEADERS_MAX_BYTES (16 * 1024)
/* Worker threads of the server; the default is one per online core, capped here. */
#define JY_HTTP_MAX_THREADS 256
/* Worker threads of `jingyou serve` unless --threads says otherwise. More than the cores: a
 * request waiting for its commit to reach the disk holds its thread, and group commit
 * (src/store/writer) can share one fsync only among the requests that wait together. */
#define JY_SERVE_DEFAULT_THREADS 16
/* The request target (path and query string, percent-encoded as sent); longer → 414. */
#define JY_HTTP_URI_MAX_BYTES 4096
/* Segments in a request path or a route pattern. */
#define JY_HTTP_PATH_MAX_SEGMENTS 16
/* Named parameters in one route pattern ("{number}"). */
#define JY_HTTP_MAX_PATH_PARAMS 8
/* One path parameter after percent-decoding (a trailing "{path*}" parameter included). */
#define JY_HTTP_PATH_PARAM_MAX_BYTES 256
/* Query parameters in one request (?a=1&b=2 is two); more → 400. */
#define JY_HTTP_MAX_QUERY_PARAMS 32
/* Headers a handler may add to one response. */
#define JY_HTTP_MAX_RESPONSE_HEADERS 16
/* One response header value (Set-Cookie, Allow, ETag …). */
#define JY_HTTP_HEADER_VALUE_MAX_BYTES 1024
/* The per-request memory pool (parsed query, copies of cookies, handler scratch). */
#define JY_HTTP_REQUEST_POOL_MAX_BYTES (256 * 1024)
/* After a chunked body crosses its route's limit, at most this many more bytes are read and
 * thrown away so that the client can still be told 413; past it the connection is closed. */
#define JY_HTTP_BODY_DRAIN_MAX_BYTES (1024 * 1024)
/* A static file served from the web directory (it is read whole to compute its ETag). */
#define JY_HTTP_STATIC_MAX_BYTES (8 * 1024 * 1024)

/* ---- rate limiting (src/http/ratelimit) ---- */

/* Client/route buckets kept in memory; when full, the least recently used one is dropped.
 * About 200 bytes each. */
#define JY_RATELIMIT_MAX_ENTRIES 65536
/* The public tracking endpoint: a burst of this many requests per client … */
#define JY_RATELIMIT_TRACK_BURST 10
/* … refilled at this many per minute. */
#define JY_RATELIMIT_TRACK_PER_MINUTE 30
/* Longest route key a bucket is kept under (a route pattern). */
#define JY_RATELIMIT_KEY_MAX_BYTES 128

/* ---- the store (used by src/store) ---- */

/* How long a connection waits for another writer (another thread or process) to finish its
 * transaction before giving up with JY_CONFLICT, reason "store_busy" (milliseconds). A use case
 * holds the write lock for a few milliseconds, so five seconds means the store is overloaded or
 * stuck, not merely busy. */
#define JY_STORE_BUSY_TIMEOUT_MS 5000
/* Prepared statements kept per connection; the least recently used one is finalised beyond it.
 * The program's SQL is a fixed set of constant strings (a few dozen), so this bounds memory
 * rather than limiting anything in normal use. */
#define JY_STORE_STMT_CACHE_MAX 128
/* Longest SQL text the statement cache accepts (the program's own statements are well under
 * 4 KiB; this catches a runaway generated statement). */
#define JY_STORE_SQL_MAX_BYTES (64 * 1024)
/* Pieces of write work the group-commit writer (src/store/writer) runs in one transaction at
 * most; more waiting go into the next. Bounds how long one commit holds the write lock and how
 * long the first caller of a batch waits for the last one's work. */
#define JY_STORE_WRITER_BATCH_MAX 256
/* Longest database file path. */
#define JY_STORE_PATH_MAX_BYTES 4096
/* Longest name of a number sequence ("appno.420100.2026", "s10.EA"). */
#define JY_STORE_SEQUENCE_NAME_MAX_BYTES 64
/* Longest code-valued field of an event: a role, a state, a station, a reason code. */
#define JY_EVENT_CODE_MAX_BYTES 64

/* ---- applications (used by src/service intake, query and documents) ---- */

/* An Idempotency-Key header on an intake: 1..128 printable ASCII characters. Keys are kept per
 * user, for good (they are a few dozen bytes per intake). */
#define JY_IDEMPOTENCY_KEY_MAX_BYTES 128
/* A person's name (applicant, recipient), in characters; JY_NAME_MAX_BYTES bounds its bytes. */
#define JY_NAME_MAX_CHARS 50
/* A delivery address, in characters: fewer than the minimum cannot be delivered to;
 * JY_ADDRESS_MAX_BYTES bounds its bytes. */
#define JY_ADDRESS_MIN_CHARS 5
#define JY_ADDRESS_MAX_CHARS 200
/* Scanned documents one application may carry (each at most JY_HTTP_DOCUMENT_MAX_BYTES). */
#define JY_DOCUMENTS_MAX_PER_APPLICATION 64
/* Events listed for one application by GET …/events (oldest first); a whole life is a few
 * dozen, so the cap only bounds a pathological loop of returns and resubmissions. */
#define JY_APPLICATION_EVENTS_MAX 1000

/* ---- logins and sessions (used by src/service/auth.c) ---- */

/* Failed logins are counted twice (src/service/auth.c, src/service/lockout.h):
 * - per (username, client address): JY_LOGIN_MAX_FAILURES in a row, no more than
 *   JY_LOGIN_FAILURE_WINDOW_SECONDS apart, lock that username from that address for
 *   JY_LOGIN_LOCKOUT_SECONDS (429 "login_locked", Retry-After). A guesser elsewhere cannot
 *   lock the clerk out of her own counter; an unknown username is counted the same way, so the
 *   lock tells nothing about which names exist.
 * - per username, from every address: JY_LOGIN_USER_MAX_FAILURES in a row lock the account for
 *   JY_LOGIN_USER_LOCKOUT_SECONDS (429 "account_locked", Retry-After): looser and shorter, it
 *   stops guessing spread over many addresses (at 5 per address per 15 minutes, 50 need ten
 *   addresses) at the price of a 5-minute wait for the account's owner.
 * Five tries cover a mistyped password with caps lock on; 15 minutes makes guessing a
 * password from one address take years. */
#define JY_LOGIN_MAX_FAILURES 5
#define JY_LOGIN_LOCKOUT_SECONDS (15 * 60)
#define JY_LOGIN_FAILURE_WINDOW_SECONDS (15 * 60)
#define JY_LOGIN_USER_MAX_FAILURES 50
#define JY_LOGIN_USER_LOCKOUT_SECONDS (5 * 60)
/* (username, address) pairs whose failures are remembered, in memory (about 160 bytes each);
 * when full the pair that failed longest ago and is not locked is forgotten. */
#define JY_LOGIN_TRACK_ENTRIES 8192
/* A session ends after this long without a request (seconds). */
#define JY_SESSION_IDLE_SECONDS (8 * 3600)
/* last_seen_at is written at most this often per session (seconds), so that reads stay reads. */
#define JY_SESSION_TOUCH_SECONDS 60
/* Password length in bytes. */
#define JY_PASSWORD_MIN_BYTES 8
#define JY_PASSWORD_MAX_BYTES 128
/* argon2id cost for password hashes: 2 passes over 19 MiB (the OWASP minimum for argon2id),
 * about 50 ms on one core; memory is released when the hash is done. */
#define JY_PASSWORD_OPSLIMIT 2
#define JY_PASSWORD_MEMLIMIT (19u * 1024 * 1024)

/* ---- the back-office workflow and delivery (src/service/workflow, shipments, track) ---- */

/* How long a claimed item stays leased to its operator without being completed or returned
 * (seconds); after that anyone at the station may claim it (DESIGN §3, issue 3: 15 minutes). */
#define JY_LEASE_SECONDS (15 * 60)
/* Events in one POST /api/v1/shipments/events batch (the carrier's feed is sent in pages). */
#define JY_SHIPMENT_EVENTS_MAX 1000
/* The carrier's place name on one tracking event ("武汉市邮区中心局"): up to 50 characters. */
#define JY_SHIPMENT_LOCATION_MAX_BYTES 200
/* How far in the future a carrier's event time may lie before the event is refused as a clock
 * or feed error (seconds). */
#define JY_SHIPMENT_FUTURE_SKEW_SECONDS (24 * 3600)
/* Entries on the public tracking timeline (the newest are kept; a real application has about
 * ten). */
#define JY_TRACK_TIMELINE_MAX 100
/* One timeline text, Chinese or English, UTF-8 (a station, a reason name, an S10 number and a
 * carrier's location). */
#define JY_TRACK_TEXT_MAX_BYTES 512

/* ---- the carrier's feed and notifications (src/service/carrier, notify, outbox) ---- */

/* A tracking file given to `jingyou import tracking` (CSV or JSON lines): 16 MiB, some 100,000
 * rows, a day's export of a large centre. */
#define JY_TRACKING_FILE_MAX_BYTES (16 * 1024 * 1024)
/* A tracking file posted to POST /api/v1/shipments/import: 4 MiB, some 40,000 rows (larger
 * exports go in parts, or through `jingyou import tracking`). */
#define JY_TRACKING_HTTP_MAX_BYTES (4 * 1024 * 1024)
/* Rows of one tracking file; the import applies them in batches of JY_SHIPMENT_EVENTS_MAX. */
#define JY_TRACKING_FILE_MAX_ROWS 200000
/* One line (row) of a tracking file, bytes. */
#define JY_TRACKING_LINE_MAX_BYTES 4096
/* Bad rows of a file reported one by one; the rest are only counted. */
#define JY_TRACKING_REPORT_MAX 1000
/* One text message, Chinese or English, bytes (a long SMS is 6 parts of 67 characters). */
#define JY_OUTBOX_BODY_MAX_BYTES 1024
/* Attempts to post a message before it is dead-lettered (state dead). With the default backoff
 * below the last attempt comes about 17 minutes after the first. */
#define JY_OUTBOX_MAX_ATTEMPTS 6
/* The wait after the first failed attempt, milliseconds; it doubles after each failure
 * (`serve --sms-backoff-ms` sets it, so that tests take seconds). */
#define JY_OUTBOX_BACKOFF_MS 30000
/* The longest wait between two attempts, milliseconds. */
#define JY_OUTBOX_BACKOFF_MAX_MS (15 * 60 * 1000)
/* How long one post to the SMS gateway may take, connection included, seconds. */
#define JY_OUTBOX_POST_TIMEOUT_SECONDS 10
/* How long the sender sleeps when nothing is due, at most, milliseconds (a new message wakes it
 * at once when it is queued by this process). */
#define JY_OUTBOX_IDLE_MS 2000
/* Messages the sender posts in one round before it looks for the next due ones again (it looks
 * at its stop flag before every post, so stopping waits for one post at most). */
#define JY_OUTBOX_ROUND_MAX 20
/* Rows in one list answer (outbox, unmatched rows, deliveries needing the branch). */
#define JY_CARRIER_LIST_MAX 500

/* ---- printed paper and exports (used by src/render) ---- */

/* Any one text drawn on paper that has no tighter limit of its own (a centre's or branch's
 * name, a clerk's name, a document or fee name, the "what happens next" text). */
#define JY_RENDER_TEXT_MAX_BYTES 2000
/* One block of text laid out at once on paper (a cell joining a receipt's documents, one per
 * line, is the longest: 16 names of up to 2 × JY_CATALOG_NAME_MAX_BYTES). */
#define JY_PDF_TEXT_MAX_BYTES (16 * 1024)
/* Pages in one PDF: a manifest of JY_MANIFEST_MAX_ITEMS items takes about 250 A4 pages. */
#define JY_PDF_MAX_PAGES 1000
/* Bytes of one finished PDF (a 5,000-item manifest is a few MiB). */
#define JY_PDF_MAX_BYTES (64 * 1024 * 1024)
/* Height of a receipt on an 80 mm thermal roll, in millimetres: the page is as long as its
 * content, and this bounds the paper one receipt may use (a full receipt is about 300 mm). */
#define JY_PDF_ROLL_MAX_HEIGHT_MM 1500
/* Data of one Code 128 symbol, printable ASCII (application numbers are at most 16, S10 item
 * numbers 13, seal and batch numbers a few dozen). */
#define JY_BARCODE_MAX_BYTES 48
/* Data of one QR symbol (a tracking URL with its receipt signature is about 200). */
#define JY_QR_MAX_BYTES 512
/* Items on one hand-over manifest: a day's outbound batch of the whole city (1,800 at peak,
 * DESIGN §6) with room to spare. */
#define JY_MANIFEST_MAX_ITEMS 5000
/* Rows in one export (the day's applications of a city). */
#define JY_EXPORT_MAX_ROWS 100000
/* Bytes of one export file (CSV or XLSX). */
#define JY_EXPORT_MAX_BYTES (64 * 1024 * 1024)

/* ---- receipt signatures (src/render/receipt_sign) ---- */

/* The tracking URL that a receipt's QR starts with (scheme, host and path). */
#define JY_RECEIPT_URL_MAX_BYTES 256
/* A scanned QR payload offered for verification: the URL above plus the signed fields. */
#define JY_RECEIPT_PAYLOAD_MAX_BYTES 512
/* A key file read back from disk (64 hex characters and a newline; anything longer is not
 * ours). */
#define JY_RECEIPT_KEY_FILE_MAX_BYTES 256

/* ---- fines and penalty decisions (src/core/decision.h, src/service/fines.h) ---- */
/* The largest decisions file (`jingyou import decisions`, POST /api/v1/decisions/import). */
#define JY_DECISIONS_CSV_MAX_BYTES (8 * 1024 * 1024)
/* Data rows in one decisions or confirmation file. */
#define JY_DECISIONS_MAX_ROWS 100000
/* One field of a decisions or confirmation row, in bytes (the description is the longest). */
#define JY_DECISION_FIELD_MAX_BYTES 600
/* A penalty decision number (决定书编号): ASCII letters, digits and '-'. */
#define JY_DECISION_NUMBER_MAX_BYTES 32
/* A violation's description, in bytes. */
#define JY_DECISION_DESCRIPTION_MAX_BYTES 400
/* The largest fine one decision may impose, in fen (¥200,000: above every traffic fine). */
#define JY_FINE_MAX_FEN 20000000
/* A payment's reference (bank card slip, QR payment order number), in bytes. */
#define JY_FINE_REFERENCE_MAX_BYTES 64
/* ---- the hall queue (src/service/hall, src/service/broadcast, src/http/server streams) ---- */

/* Tickets one service category may issue in one day (numbers A001 … A999). */
#define JY_HALL_TICKETS_PER_DAY 999
/* Service categories and windows the hall may have. */
#define JY_HALL_MAX_CATEGORIES 16
#define JY_HALL_MAX_WINDOWS 32
/* How often a window may recall a called ticket before it may skip it (the setting
 * "hall_skip_after_recalls" overrides it, 0..JY_HALL_MAX_RECALLS). */
#define JY_HALL_SKIP_AFTER_RECALLS 2
#define JY_HALL_MAX_RECALLS 9
/* Calls listed for a display (its history on load). */
#define JY_HALL_CALLS_MAX 50
/* Display streams (GET /api/v1/hall/stream) open at once; one more is refused with 503. Each
 * holds one connection of JY_HTTP_MAX_CONNECTIONS but no worker thread: the server suspends a
 * stream's connection while it has nothing to send. */
#define JY_HALL_STREAM_MAX_SUBSCRIBERS 64
/* Bytes queued for one display stream that has not yet read them; a display further behind is
 * cut off (its browser reconnects and reloads the history). */
#define JY_HALL_STREAM_QUEUE_BYTES (16 * 1024)
/* Seconds between heartbeat comments on a display stream: below JY_HTTP_CONNECTION_TIMEOUT_SECONDS,
 * and often enough that a dead display is noticed and its slot freed (the second write after a
 * display vanished fails, so a slot comes back within about two heartbeats). */
#define JY_HALL_STREAM_HEARTBEAT_SECONDS 5
/* Tickets a kiosk (one client address) may take: a burst of this many … */
#define JY_HALL_KIOSK_BURST 30
/* … refilled at this many per minute (a busy morning is a few a minute per kiosk). */
#define JY_HALL_KIOSK_PER_MINUTE 60
/* The ticket slip's status URL (public URL + path + number + day). */
#define JY_HALL_URL_MAX_BYTES 320
/* ---- reports, the branch network and metrics (src/core/geo, src/service/dashboard) ---- */

/* Days in one report period (from..to inclusive): two years, the horizon of the calendar. */
#define JY_REPORT_MAX_DAYS 731
/* Groups in one report (a city's branches, clerks or days, with room to spare). */
#define JY_REPORT_MAX_GROUPS 20000
/* Turnarounds above this many working days are counted as this many (for the percentiles). */
#define JY_REPORT_TURNAROUND_MAX_DAYS 127
/* Branches returned by one nearest-branch query (`n`). */
#define JY_GEO_NEAREST_MAX 20
/* The smallest coverage cell, metres, and the most cells in one grid. */
#define JY_GEO_CELL_MIN_M 100
#define JY_GEO_MAX_CELLS 1000000
/* Districts in data/districts.csv. */
#define JY_GEO_MAX_DISTRICTS 256
/* Branches in one coverage or nearest computation. */
#define JY_GEO_MAX_SITES 100000
/* Bytes of one /metrics answer. */
#define JY_METRICS_MAX_BYTES (4 * 1024 * 1024)

#endif /* JY_LIMITS_H */
