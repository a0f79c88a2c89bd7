/*
 * migrations.c — the schema of the SQLite store, as numbered migrations, and the code that
 * applies them.
 *
 * Conventions of the schema, which every later migration follows:
 * - Tables are STRICT: a value of the wrong type (text in an integer column) is an error, not
 *   silently stored. Tables keyed by a natural text or blob key are WITHOUT ROWID.
 * - Time is an INTEGER of UTC seconds since 1970 (`…_at`); a civil date is TEXT "YYYY-MM-DD";
 *   money is an INTEGER of fen (`…_fen`); a boolean is an INTEGER 0 or 1.
 * - Codes (state, station, role, business type) are the lower-case or upper-case words of
 *   DESIGN.md, checked here where the set is closed and fixed by the product (states, stations,
 *   roles), left to the service where the set is data (business types come from the catalog).
 * - Nothing is ever deleted from branches, users or applications: events refer to them forever.
 * - Each table and column is documented by SQL comments inside its CREATE statement, which SQLite
 *   keeps in the database: `sqlite3 var/jingyou.db .schema` shows the documentation.
 *
 * The SQL is this program's own constant text; the only values spliced into SQL here are the
 * integer migration numbers (PRAGMA does not take bound parameters).
 */
#include "migrations.h"

#include <stdio.h>
#include <string.h>

#include "store.h"
#include "../banned.h"

/* ---- migration 1: the schema ---- */

static const char migration_1_sql[] =
    "CREATE TABLE settings (\n"
    "    -- settings: configuration of this centre that the admin may change at run time,\n"
    "    -- one value per key. Keys are dotted words: centre.code, centre.name_zh,\n"
    "    -- centre.name_en, s10.prefix, s10.first, s10.last (the EMS item number range).\n"
    "    key   TEXT NOT NULL PRIMARY KEY, -- dotted name, e.g. 'centre.code'\n"
    "    value TEXT NOT NULL              -- the value as text; each key documents its format\n"
    ") STRICT, WITHOUT ROWID;\n"

    "CREATE TABLE branches (\n"
    "    -- branches: the post-office branches (网点) that accept applications, and the\n"
    "    -- centre.\n"
    "    id         INTEGER PRIMARY KEY,\n"
    "    code       TEXT NOT NULL UNIQUE,   -- the post's own branch code, shown on manifests\n"
    "    name_zh    TEXT NOT NULL,          -- 彭刘杨路邮政支局\n"
    "    name_en    TEXT,                   -- English name, when one is given\n"
    "    district   TEXT,                   -- city district (区) the branch lies in\n"
    "    address    TEXT,                   -- street address\n"
    "    lat        REAL CHECK (lat BETWEEN -90 AND 90),    -- WGS-84 degrees north\n"
    "    lon        REAL CHECK (lon BETWEEN -180 AND 180),  -- WGS-84 degrees east\n"
    "    bag_cutoff TEXT NOT NULL DEFAULT '17:30'           -- local time (Asia/Shanghai) the\n"
    "               CHECK (bag_cutoff GLOB '[01][0-9]:[0-5][0-9]'  -- day's bag closes, HH:MM\n"
    "                   OR bag_cutoff GLOB '2[0-3]:[0-5][0-9]'),\n"
    "    is_open    INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1)), -- 0: takes no intake\n"
    "    demo       INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1))     -- 1: synthetic data\n"
    ") STRICT;\n"

    "CREATE TABLE users (\n"
    "    -- users: everyone who logs in. Users are disabled, never deleted.\n"
    "    id            INTEGER PRIMARY KEY,\n"
    "    username      TEXT NOT NULL UNIQUE,   -- login name, as typed\n"
    "    display_name  TEXT,                   -- name shown in the interface and in events\n"
    "    role          TEXT NOT NULL CHECK (role IN ('clerk', 'operator', 'supervisor',\n"
    "                                                'logistics', 'manager', 'admin')),\n"
    "    branch_id     INTEGER REFERENCES branches (id),  -- a clerk's branch (scope); else NULL\n"
    "    stations      TEXT,        -- an operator's stations, comma-separated: 'review,approval'\n"
    "    password_hash TEXT NOT NULL,          -- argon2id string (libsodium crypto_pwhash_str)\n"
    "    failed_logins INTEGER NOT NULL DEFAULT 0 -- failures since the last good login\n"
    "                  CHECK (failed_logins >= 0),\n"
    "    locked_until  INTEGER,    -- UTC seconds; no login before then; NULL: not locked\n"
    "    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)), -- 1: cannot log in\n"
    "    created_at    INTEGER NOT NULL,       -- UTC seconds\n"
    "    CHECK (role <> 'clerk' OR branch_id IS NOT NULL) -- a clerk always belongs to a branch\n"
    ") STRICT;\n"

    "CREATE TABLE sessions (\n"
    "    -- sessions: logged-in browsers. The cookie holds a random token; only its hash\n"
    "    -- is stored, so that a copy of the database does not let anyone log in.\n"
    "    token_hash   BLOB NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32), -- 32-byte hash\n"
    "    user_id      INTEGER NOT NULL REFERENCES users (id),\n"
    "    csrf_token   TEXT NOT NULL,     -- the X-CSRF-Token the session's requests must carry\n"
    "    created_at   INTEGER NOT NULL,  -- UTC seconds, login\n"
    "    last_seen_at INTEGER NOT NULL   -- UTC seconds, last request (idle expiry)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX sessions_user ON sessions (user_id);\n"

    "CREATE TABLE applications (\n"
    "    -- applications: one row per application, holding its current state. The history\n"
    "    -- is in events. `version` grows by one on every update, for optimistic checks.\n"
    "    id                  INTEGER PRIMARY KEY,  -- also the keyset-pagination key\n"
    "    number              TEXT NOT NULL UNIQUE, -- application number with check character\n"
    "    business_type       TEXT NOT NULL,        -- catalog code: V01 … W02\n"
    "    branch_id           INTEGER NOT NULL REFERENCES branches (id), -- accepting branch\n"
    "    clerk_id            INTEGER NOT NULL REFERENCES users (id),    -- accepting clerk\n"
    "    state               TEXT NOT NULL CHECK (state IN ('accepted', 'at_station', 'sealed',\n"
    "                            'shipped', 'delivered', 'correction', 'refused', 'cancelled',\n"
    "                            'delivery_failed', 'returned', 'paid', 'completed')),\n"
    "    station             TEXT CHECK (station IS NULL OR station IN ('review', 'approval',\n"
    "                            'print', 'production', 'archive', 'dispatch')),\n"
    "    applicant_name      TEXT,      -- 申请人姓名\n"
    "    applicant_id_type   TEXT,      -- resident_id, passport, …\n"
    "    applicant_id_number TEXT,      -- normalised (upper-case X)\n"
    "    applicant_mobile    TEXT,      -- 11 digits\n"
    "    owner_uscc          TEXT,      -- unified social credit code of an owning organisation\n"
    "    vehicle_plate       TEXT,      -- 鄂A12345\n"
    "    vehicle_plate_type  TEXT,      -- GA 24.7 two-digit plate type: '02'\n"
    "    vehicle_vin         TEXT,      -- 17 characters\n"
    "    licence_number      TEXT,      -- driving licence number (the holder's ID number)\n"
    "    licence_class       TEXT,      -- C1, B2, …\n"
    "    licence_expiry      TEXT,      -- civil date YYYY-MM-DD\n"
    "    delivery_recipient  TEXT,      -- EMS delivery: who signs\n"
    "    delivery_mobile     TEXT,\n"
    "    delivery_address    TEXT,\n"
    "    delivery_postcode   TEXT,      -- 6 digits\n"
    "    fees_json           TEXT NOT NULL CHECK (json_valid(fees_json)),\n"
    "                                   -- [{\"code\", \"name\", \"amount_fen\"}] as charged\n"
    "    fee_total_fen       INTEGER NOT NULL CHECK (fee_total_fen >= 0), -- sum of fees, fen\n"
    "    documents_json      TEXT NOT NULL CHECK (json_valid(documents_json)),\n"
    "                                   -- [\"id_card\", \"photo\", …] checked at the counter\n"
    "    accepted_at         INTEGER NOT NULL,  -- UTC seconds, intake\n"
    "    due_date            TEXT NOT NULL      -- civil date YYYY-MM-DD, SLA in working days\n"
    "                        CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),\n"
    "    lease_user_id       INTEGER REFERENCES users (id), -- operator holding the item\n"
    "    lease_expires_at    INTEGER,           -- UTC seconds; the lease lapses then\n"
    "    waybill             TEXT UNIQUE,       -- EMS item number (S10), set at dispatch\n"
    "    correction_reason   TEXT,              -- reason code while in correction (补正)\n"
    "    version             INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),\n"
    "    updated_at          INTEGER NOT NULL,  -- UTC seconds, last change\n"
    "    CHECK (state <> 'at_station' OR station IS NOT NULL), -- a queued item names its station\n"
    "    CHECK ((lease_user_id IS NULL) = (lease_expires_at IS NULL)) -- a lease has both or none\n"
    ") STRICT;\n"
    /* A station's queue: waiting items at one station, oldest due first. */
    "CREATE INDEX applications_queue ON applications (state, station, due_date, id);\n"
    /* An operator's leases: claim first looks for the lease the operator already holds, which
     * without this would scan the whole station queue. Only leased rows are indexed. */
    "CREATE INDEX applications_lease ON applications (lease_user_id)"
    " WHERE lease_user_id IS NOT NULL;\n"
    /* A branch's list, newest first. Keyset pagination by id needs no index of its own: id is
     * the INTEGER PRIMARY KEY, i.e. the rowid, by which the table itself is ordered. */
    "CREATE INDEX applications_branch ON applications (branch_id, accepted_at, id);\n"

    "CREATE TABLE events (\n"
    "    -- events: every change of state of an application, append-only and hash-chained\n"
    "    -- over the whole database (see src/store/audit.h for the hash).\n"
    "    id             INTEGER PRIMARY KEY,  -- chain order\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id),\n"
    "    at             INTEGER NOT NULL,     -- UTC seconds\n"
    "    actor_id       INTEGER REFERENCES users (id), -- NULL: the system (lease lapse, carrier)\n"
    "    actor_role     TEXT,                 -- the actor's role at the time\n"
    "    branch_id      INTEGER REFERENCES branches (id), -- where it happened, for a branch\n"
    "    station        TEXT,                 -- where it happened, for the centre\n"
    "    from_state     TEXT,                 -- NULL for the first event (intake)\n"
    "    from_station   TEXT,\n"
    "    to_state       TEXT NOT NULL,\n"
    "    to_station     TEXT,\n"
    "    reason         TEXT,                 -- reason code (return, refusal)\n"
    "    note           TEXT,                 -- free text\n"
    "    prev_hash      BLOB NOT NULL CHECK (length(prev_hash) = 32), -- hash of the event before\n"
    "    hash           BLOB NOT NULL UNIQUE CHECK (length(hash) = 32) -- SHA-256, see audit.h\n"
    ") STRICT;\n"
    "CREATE INDEX events_application ON events (application_id, id);\n"
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events\n"
    "BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be changed'); END;\n"
    "CREATE TRIGGER events_no_delete BEFORE DELETE ON events\n"
    "BEGIN SELECT RAISE(ABORT, 'events are append-only: an event cannot be deleted'); END;\n"

    "CREATE TABLE documents (\n"
    "    -- documents: scanned files of an application, stored by content under\n"
    "    -- var/documents/.\n"
    "    id             INTEGER PRIMARY KEY,\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id),\n"
    "    kind           TEXT,              -- catalog document code: id_card, photo, …\n"
    "    sha256         TEXT NOT NULL CHECK (length(sha256) = 64), -- lower-case hex; file name\n"
    "    content_type   TEXT NOT NULL,     -- image/jpeg, image/png, application/pdf (by content)\n"
    "    size           INTEGER NOT NULL CHECK (size >= 0), -- bytes\n"
    "    uploaded_by    INTEGER REFERENCES users (id),\n"
    "    uploaded_at    INTEGER NOT NULL,  -- UTC seconds\n"
    "    UNIQUE (application_id, sha256)   -- the same file twice is one document\n"
    ") STRICT;\n"

    "CREATE TABLE sequences (\n"
    "    -- sequences: named counters for numbers handed out (application numbers, EMS\n"
    "    -- items).\n"
    "    name  TEXT NOT NULL PRIMARY KEY,  -- what it counts: 'appno.2026', 's10'\n"
    "    value INTEGER NOT NULL            -- the last value handed out\n"
    ") STRICT, WITHOUT ROWID;\n"

    "CREATE TABLE idempotency (\n"
    "    -- idempotency: Idempotency-Key headers of intakes, so that a repeated request\n"
    "    -- returns the application it created the first time instead of creating a\n"
    "    -- second one.\n"
    "    user_id        INTEGER NOT NULL REFERENCES users (id), -- keys are per user\n"
    "    key            TEXT NOT NULL,     -- the header's value\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id), -- what it created\n"
    "    request_hash   BLOB,              -- hash of the request body; a different body with the\n"
    "                                      -- same key is refused\n"
    "    created_at     INTEGER NOT NULL,  -- UTC seconds\n"
    "    PRIMARY KEY (user_id, key)\n"
    ") STRICT, WITHOUT ROWID;\n"

    "CREATE TABLE shipment_events (\n"
    "    -- shipment_events: the carrier's tracking feed as received, once per (waybill,\n"
    "    -- status, at); a feed delivered twice adds nothing.\n"
    "    waybill     TEXT NOT NULL,     -- EMS item number\n"
    "    status      TEXT NOT NULL,     -- shipped, delivered, delivery_failed, returned, …\n"
    "    at          INTEGER NOT NULL,  -- UTC seconds, as the carrier reports it\n"
    "    location    TEXT,              -- the carrier's place name\n"
    "    received_at INTEGER NOT NULL,  -- UTC seconds, when the feed reached us\n"
    "    PRIMARY KEY (waybill, status, at)\n"
    ") STRICT, WITHOUT ROWID;\n";

/* ---- migration 2: indexes for the application lists and the search ---- */

static const char migration_2_sql[] =
    /* A branch's list, newest first: WHERE branch_id = ? ORDER BY id DESC walks this index
     * (its entries end in the rowid) without a sort. */
    "CREATE INDEX applications_branch_id ON applications (branch_id);\n"
    /* The search box: a plate or an applicant's ID number, matched exactly. */
    "CREATE INDEX applications_plate ON applications (vehicle_plate)"
    " WHERE vehicle_plate IS NOT NULL;\n"
    "CREATE INDEX applications_id_number ON applications (applicant_id_number)"
    " WHERE applicant_id_number IS NOT NULL;\n";

/* ---- migration 3: fines (W02) and violation handling (W01) ---- */

static const char migration_fines_sql[] =
    "CREATE TABLE decisions (\n"
    "    -- decisions: penalty decisions (处罚决定书) imported from the police's file. A\n"
    "    -- decision is never changed or deleted: a re-import of the same row changes\n"
    "    -- nothing, a changed row is reported and left for the police to resolve.\n"
    "    id               INTEGER PRIMARY KEY,\n"
    "    decision_number  TEXT NOT NULL UNIQUE,  -- 决定书编号: upper-case letters, digits, '-'\n"
    "    plate            TEXT NOT NULL,         -- normalised plate: 鄂A12345\n"
    "    plate_type       TEXT NOT NULL,         -- GA 24.7 two-digit plate type: '02'\n"
    "    licence_number   TEXT,                  -- driver's licence (= ID) number, or NULL\n"
    "    violation_code   TEXT NOT NULL,         -- 4 or 5 digits\n"
    "    description      TEXT NOT NULL,         -- 违法行为\n"
    "    fine_fen         INTEGER NOT NULL CHECK (fine_fen > 0),  -- 罚款, fen\n"
    "    points           INTEGER NOT NULL CHECK (points IN (0, 1, 3, 6, 9, 12)), -- 记分\n"
    "    decision_date    TEXT NOT NULL,         -- civil date YYYY-MM-DD\n"
    "    payment_deadline TEXT NOT NULL          -- civil date; late from the day after\n"
    "                     CHECK (payment_deadline >= decision_date),\n"
    "    imported_at      INTEGER NOT NULL,      -- UTC seconds\n"
    "    demo             INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)) -- 1: synthetic\n"
    ") STRICT;\n"
    "CREATE INDEX decisions_plate ON decisions (plate, plate_type);\n"
    "CREATE INDEX decisions_licence ON decisions (licence_number)"
    " WHERE licence_number IS NOT NULL;\n"

    "CREATE TABLE fine_payments (\n"
    "    -- fine_payments: fines collected at a counter. A payment is reversed (same day,\n"
    "    -- police only, with a reason), never deleted; a decision has at most one payment\n"
    "    -- that is not reversed.\n"
    "    id              INTEGER PRIMARY KEY,   -- also the receipt's serial\n"
    "    decision_id     INTEGER NOT NULL REFERENCES decisions (id),\n"
    "    method          TEXT NOT NULL CHECK (method IN ('cash', 'bank_card', 'qr')),\n"
    "    fine_fen        INTEGER NOT NULL CHECK (fine_fen > 0),       -- the fine, fen\n"
    "    surcharge_fen   INTEGER NOT NULL CHECK (surcharge_fen >= 0), -- 加处罚款, fen\n"
    "    amount_fen      INTEGER NOT NULL                             -- collected: fine +\n"
    "                    CHECK (amount_fen = fine_fen + surcharge_fen), -- surcharge\n"
    "    days_overdue    INTEGER NOT NULL CHECK (days_overdue >= 0),  -- on the day paid\n"
    "    reference       TEXT,                  -- card slip or QR order number; NULL for cash\n"
    "    clerk_id        INTEGER NOT NULL REFERENCES users (id),\n"
    "    branch_id       INTEGER NOT NULL REFERENCES branches (id),\n"
    "    paid_at         INTEGER NOT NULL,      -- UTC seconds\n"
    "    paid_date       TEXT NOT NULL,         -- civil date (Asia/Shanghai): settlement day\n"
    "    idempotency_key TEXT,                  -- the request's Idempotency-Key, if any\n"
    "    reversed_at     INTEGER,               -- UTC seconds; NULL: in force\n"
    "    reversed_by     INTEGER REFERENCES users (id),\n"
    "    reversal_reason TEXT,\n"
    "    CHECK ((reversed_at IS NULL) = (reversed_by IS NULL)),\n"
    "    CHECK ((reversed_at IS NULL) = (reversal_reason IS NULL))\n"
    ") STRICT;\n"
    "CREATE UNIQUE INDEX fine_payments_one ON fine_payments (decision_id)"
    " WHERE reversed_at IS NULL;\n"
    "CREATE INDEX fine_payments_day ON fine_payments (paid_date, branch_id, id);\n"
    "CREATE UNIQUE INDEX fine_payments_idempotency ON fine_payments (clerk_id, idempotency_key)"
    " WHERE idempotency_key IS NOT NULL;\n"

    "CREATE TABLE violation_approvals (\n"
    "    -- violation_approvals: what the police recorded when approving a W01 violation\n"
    "    -- handling (违法处理): the decision issued and the points scored.\n"
    "    application_id  INTEGER NOT NULL PRIMARY KEY REFERENCES applications (id),\n"
    "    decision_number TEXT NOT NULL,         -- 决定书编号 issued\n"
    "    points          INTEGER NOT NULL CHECK (points IN (0, 1, 3, 6, 9, 12)),\n"
    "    approved_by     INTEGER NOT NULL REFERENCES users (id),\n"
    "    approved_at     INTEGER NOT NULL       -- UTC seconds\n"
    ") STRICT;\n";

/* ---- migration 4: the hall queue (叫号) ---- */

static const char migration_hall_sql[] =
    "CREATE TABLE hall_categories (\n"
    "    -- hall_categories: the service categories a kiosk offers; each issues its own\n"
    "    -- ticket numbers, its prefix letter and a sequence per day (A001, A002 …).\n"
    "    code    TEXT NOT NULL PRIMARY KEY        -- 'vehicle', 'licence', 'fines'\n"
    "            CHECK (length(code) BETWEEN 1 AND 32),\n"
    "    prefix  TEXT NOT NULL UNIQUE             -- one capital letter on the ticket\n"
    "            CHECK (length(prefix) = 1 AND prefix GLOB '[A-Z]'),\n"
    "    name_zh TEXT NOT NULL,                   -- 机动车业务\n"
    "    name_en TEXT NOT NULL,                   -- Vehicle services\n"
    "    sort    INTEGER NOT NULL DEFAULT 0,      -- order of the kiosk's buttons\n"
    "    active  INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)) -- 0: no new tickets\n"
    ") STRICT, WITHOUT ROWID;\n"
    "INSERT INTO hall_categories (code, prefix, name_zh, name_en, sort) VALUES\n"
    "    ('vehicle', 'A', '机动车业务', 'Vehicle services', 1),\n"
    "    ('licence', 'B', '驾驶证业务', 'Driving licence services', 2),\n"
    "    ('fines', 'C', '违法处理/罚款', 'Violations and fines', 3);\n"

    "CREATE TABLE hall_windows (\n"
    "    -- hall_windows: the service windows (窗口) of the centre's hall.\n"
    "    number        INTEGER PRIMARY KEY CHECK (number BETWEEN 1 AND 99), -- 1号窗口\n"
    "    name_zh       TEXT NOT NULL,      -- 1号窗口\n"
    "    name_en       TEXT NOT NULL,      -- Window 1\n"
    "    categories    TEXT NOT NULL,      -- category codes it serves, most urgent first:\n"
    "                                      -- 'licence,vehicle' calls licence tickets first\n"
    "    staff_user_id INTEGER REFERENCES users (id), -- who is at the window; NULL: closed\n"
    "    staffed_at    INTEGER             -- UTC seconds, when that user opened it\n"
    ") STRICT;\n"

    "CREATE TABLE hall_tickets (\n"
    "    -- hall_tickets: one ticket taken at a kiosk, and what became of it. Waiting time is\n"
    "    -- first_called_at - issued_at; service time finished_at - started_at.\n"
    "    id              INTEGER PRIMARY KEY,\n"
    "    day             TEXT NOT NULL,     -- civil date in Asia/Shanghai, YYYY-MM-DD\n"
    "    category        TEXT NOT NULL REFERENCES hall_categories (code),\n"
    "    seq             INTEGER NOT NULL CHECK (seq >= 1), -- the day's sequence in category\n"
    "    number          TEXT NOT NULL,     -- prefix and seq: 'A007'\n"
    "    status          TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving',\n"
    "                                                    'done', 'skipped')),\n"
    "    issued_at       INTEGER NOT NULL,  -- UTC seconds, at the kiosk\n"
    "    queued_at       INTEGER NOT NULL,  -- UTC seconds; its place in the queue (issued_at,\n"
    "                                       -- or when a skipped ticket was put back)\n"
    "    queue_seq       INTEGER NOT NULL,  -- the hall's queue counter at that moment: first\n"
    "                                       -- in, first called, even within one second\n"
    "    first_called_at INTEGER,           -- UTC seconds, its first call\n"
    "    called_at       INTEGER,           -- UTC seconds, its latest call or recall\n"
    "    call_seq        INTEGER,           -- the hall's call counter at that call: orders the\n"
    "                                       -- calls of one second for the display\n"
    "    window          INTEGER REFERENCES hall_windows (number), -- where it is called\n"
    "    staff_user_id   INTEGER REFERENCES users (id), -- who called it\n"
    "    recalls         INTEGER NOT NULL DEFAULT 0 CHECK (recalls >= 0), -- since the call\n"
    "    started_at      INTEGER,           -- UTC seconds, service started\n"
    "    finished_at     INTEGER,           -- UTC seconds, service finished\n"
    "    skipped_at      INTEGER,           -- UTC seconds, skipped as absent\n"
    "    UNIQUE (day, number)\n"
    ") STRICT;\n"
    /* call next: the oldest waiting ticket of a category today. */
    "CREATE INDEX hall_tickets_queue ON hall_tickets (day, category, status, queue_seq);\n";

/* ---- migration 5: custody — branch bags, reception, dispatch batches, discrepancies, S10
 * ranges ---- */

static const char migration_custody_sql[] =
    "CREATE TABLE s10_ranges (\n"
    "    -- s10_ranges: blocks of EMS item numbers (UPU S10) allocated to the centre. Numbers\n"
    "    -- are handed out in order, range by range (lowest id first), and never twice: `next`\n"
    "    -- only grows. Ranges of one service and country never overlap (checked on insert).\n"
    "    id       INTEGER PRIMARY KEY,        -- allocation order\n"
    "    service  TEXT NOT NULL CHECK (service GLOB '[A-Z][A-Z]'), -- service indicator: 'EA'\n"
    "    country  TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'), -- ISO 3166-1: 'CN'\n"
    "    first    INTEGER NOT NULL CHECK (first BETWEEN 0 AND 99999999), -- first serial\n"
    "    last     INTEGER NOT NULL CHECK (last BETWEEN first AND 99999999), -- last serial\n"
    "    next     INTEGER NOT NULL CHECK (next BETWEEN first AND last + 1), -- next serial to\n"
    "                                        -- hand out; last + 1: used up\n"
    "    added_at INTEGER NOT NULL,          -- UTC seconds\n"
    "    added_by INTEGER REFERENCES users (id) -- NULL: the system (migration, init, demo)\n"
    ") STRICT;\n"
    /* The range configured in settings before this table existed, with what its sequence had
     * handed out, so that an existing database goes on where it stopped. */
    "INSERT INTO s10_ranges (service, country, first, last, next, added_at)\n"
    "SELECT sv.value, co.value, CAST(fi.value AS INTEGER), CAST(la.value AS INTEGER),\n"
    "       MIN(CAST(fi.value AS INTEGER) + coalesce((SELECT value FROM sequences\n"
    "                                                 WHERE name = 's10'), 0),\n"
    "           CAST(la.value AS INTEGER) + 1), CAST(strftime('%s', 'now') AS INTEGER)\n"
    "  FROM settings sv, settings co, settings fi, settings la\n"
    " WHERE sv.key = 's10_service' AND co.key = 's10_country' AND fi.key = 's10_first'\n"
    "   AND la.key = 's10_last' AND CAST(fi.value AS INTEGER) <= CAST(la.value AS INTEGER);\n"
    "DELETE FROM settings WHERE key IN ('s10_service', 's10_country', 's10_first', 's10_last');\n"
    "DELETE FROM sequences WHERE name = 's10';\n"

    "CREATE TABLE bags (\n"
    "    -- bags: a branch's bag of paper files (网点邮袋) to the centre, closed by the clerk at\n"
    "    -- the branch's cut-off, carried by the morning van, received by scanning each file.\n"
    "    id           INTEGER PRIMARY KEY,\n"
    "    seal         TEXT NOT NULL UNIQUE,   -- seal number: 'WH001-20261130-1'\n"
    "    branch_id    INTEGER NOT NULL REFERENCES branches (id),\n"
    "    covers_until INTEGER NOT NULL,       -- UTC seconds: holds files accepted before this\n"
    "    closed_at    INTEGER NOT NULL,       -- UTC seconds\n"
    "    closed_by    INTEGER NOT NULL REFERENCES users (id),\n"
    "    item_count   INTEGER NOT NULL CHECK (item_count > 0),\n"
    "    reception    TEXT NOT NULL DEFAULT 'in_transit' -- at the centre: not yet opened,\n"
    "                 CHECK (reception IN ('in_transit', 'receiving', 'received')), -- being\n"
    "                                                     -- scanned, closed\n"
    "    reception_opened_at INTEGER,         -- UTC seconds\n"
    "    received_at  INTEGER,                -- UTC seconds, reception closed\n"
    "    received_by  INTEGER REFERENCES users (id)\n"
    ") STRICT;\n"
    "CREATE INDEX bags_branch ON bags (branch_id, id);\n"
    "CREATE TABLE bag_items (\n"
    "    -- bag_items: the paper files a bag holds, as its manifest lists them. A file is in\n"
    "    -- one bag only.\n"
    "    bag_id         INTEGER NOT NULL REFERENCES bags (id),\n"
    "    application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),\n"
    "    PRIMARY KEY (bag_id, application_id)\n"
    ") STRICT, WITHOUT ROWID;\n"

    "CREATE TABLE dispatch_batches (\n"
    "    -- dispatch_batches: the 17:00 outbound batch of sealed EMS envelopes (出口批次),\n"
    "    -- closed by dispatch at the centre's cut-off, scanned in by the mail centre.\n"
    "    id           INTEGER PRIMARY KEY,\n"
    "    number       TEXT NOT NULL UNIQUE,   -- batch number: 'WHOB20261130-1'\n"
    "    covers_until INTEGER NOT NULL,       -- UTC seconds: holds envelopes sealed before this\n"
    "    closed_at    INTEGER NOT NULL,       -- UTC seconds\n"
    "    closed_by    INTEGER NOT NULL REFERENCES users (id),\n"
    "    item_count   INTEGER NOT NULL CHECK (item_count > 0),\n"
    "    handover     TEXT NOT NULL DEFAULT 'closed' -- at the mail centre: not yet scanned,\n"
    "                 CHECK (handover IN ('closed', 'receiving', 'received')), -- being\n"
    "                                                     -- scanned, hand-over closed\n"
    "    received_at  INTEGER,                -- UTC seconds, hand-over closed\n"
    "    received_by  INTEGER REFERENCES users (id)\n"
    ") STRICT;\n"
    "CREATE TABLE batch_items (\n"
    "    -- batch_items: the envelopes of a batch, with the item number each carried.\n"
    "    batch_id       INTEGER NOT NULL REFERENCES dispatch_batches (id),\n"
    "    application_id INTEGER NOT NULL UNIQUE REFERENCES applications (id),\n"
    "    waybill        TEXT NOT NULL,        -- S10 item number at closing\n"
    "    PRIMARY KEY (batch_id, application_id)\n"
    ") STRICT, WITHOUT ROWID;\n"

    "CREATE TABLE custody_scans (\n"
    "    -- custody_scans: every scan of a paper file or envelope at a hand-over: who, where,\n"
    "    -- when, which bag or batch, and what the scan found.\n"
    "    id             INTEGER PRIMARY KEY,\n"
    "    bag_id         INTEGER REFERENCES bags (id),             -- a file in reception\n"
    "    batch_id       INTEGER REFERENCES dispatch_batches (id), -- an envelope at the mail\n"
    "                                                             -- centre\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id),\n"
    "    outcome        TEXT NOT NULL CHECK (outcome IN ('expected', 'extra', 'duplicate')),\n"
    "    place          TEXT NOT NULL CHECK (place IN ('centre', 'mail_centre')),\n"
    "    at             INTEGER NOT NULL,     -- UTC seconds\n"
    "    user_id        INTEGER NOT NULL REFERENCES users (id),\n"
    "    CHECK ((bag_id IS NULL) <> (batch_id IS NULL)) -- one hand-over or the other\n"
    ") STRICT;\n"
    "CREATE INDEX custody_scans_bag ON custody_scans (bag_id, application_id)"
    " WHERE bag_id IS NOT NULL;\n"
    "CREATE INDEX custody_scans_batch ON custody_scans (batch_id, application_id)"
    " WHERE batch_id IS NOT NULL;\n"
    "CREATE INDEX custody_scans_application ON custody_scans (application_id, id);\n"

    "CREATE TABLE discrepancies (\n"
    "    -- discrepancies: what a hand-over found wrong — a file or envelope missing, a file\n"
    "    -- that was not in the bag (extra), a file scanned twice (duplicate). Open until\n"
    "    -- someone resolves it with a reason.\n"
    "    id             INTEGER PRIMARY KEY,\n"
    "    kind           TEXT NOT NULL CHECK (kind IN ('missing', 'extra', 'duplicate')),\n"
    "    bag_id         INTEGER REFERENCES bags (id),\n"
    "    batch_id       INTEGER REFERENCES dispatch_batches (id),\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id),\n"
    "    detail         TEXT,                 -- e.g. the seal of the bag an extra file was in\n"
    "    opened_at      INTEGER NOT NULL,     -- UTC seconds\n"
    "    resolution     TEXT CHECK (resolution IN ('found', 'resent', 'lost')), -- NULL: open\n"
    "    resolved_at    INTEGER,              -- UTC seconds\n"
    "    resolved_by    INTEGER REFERENCES users (id),\n"
    "    note           TEXT,                 -- what the resolver wrote\n"
    "    CHECK ((bag_id IS NULL) <> (batch_id IS NULL)),\n"
    "    CHECK ((resolution IS NULL) = (resolved_at IS NULL))\n"
    ") STRICT;\n"
    "CREATE INDEX discrepancies_open ON discrepancies (resolution, id);\n"
    "CREATE INDEX discrepancies_application ON discrepancies (application_id);\n";
/* ---- migration 6: the carrier's feed kept whole, re-dispatch, the notification outbox ---- */

static const char migration_carrier_sql[] =
    /* The carrier's reason for a failed delivery (收件人不在, 地址不详…), as it sends it. */
    "ALTER TABLE shipment_events ADD COLUMN failure_reason TEXT;\n"

    "CREATE TABLE superseded_waybills (\n"
    "    -- superseded_waybills: EMS item numbers an application carried before it was\n"
    "    -- returned and sealed again under a new number. Numbers are never reused; the\n"
    "    -- carrier's late events for an old number still belong to the application.\n"
    "    waybill        TEXT NOT NULL PRIMARY KEY, -- the old S10 item number\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id),\n"
    "    superseded_at  INTEGER NOT NULL           -- UTC seconds, when it went back to dispatch\n"
    ") STRICT, WITHOUT ROWID;\n"
    "CREATE INDEX superseded_waybills_application ON superseded_waybills (application_id);\n"

    /* The carrier's rows that no application carries (now or before): kept, never dropped,
     * and listed for logistics to resolve with the carrier. */
    "CREATE VIEW shipment_events_unmatched AS\n"
    "    SELECT s.* FROM shipment_events s\n"
    "    WHERE NOT EXISTS (SELECT 1 FROM applications a WHERE a.waybill = s.waybill)\n"
    "      AND NOT EXISTS (SELECT 1 FROM superseded_waybills w WHERE w.waybill = s.waybill);\n"

    "CREATE TABLE outbox (\n"
    "    -- outbox: text messages to applicants, written in the same transaction as the event\n"
    "    -- that causes them and sent later by the sender thread of `serve`.\n"
    "    id             INTEGER PRIMARY KEY,\n"
    "    application_id INTEGER NOT NULL REFERENCES applications (id),\n"
    "    template       TEXT NOT NULL,   -- data/notifications.json key: accepted, shipped, …\n"
    "    dedupe_key     TEXT NOT NULL UNIQUE, -- one message per cause: 'shipped:EA…CN'\n"
    "    mobile         TEXT NOT NULL,   -- 11 digits\n"
    "    body_zh        TEXT NOT NULL,   -- the message sent\n"
    "    body_en        TEXT NOT NULL,   -- the same in English, for staff and foreign applicants\n"
    "    state          TEXT NOT NULL DEFAULT 'queued'\n"
    "                   CHECK (state IN ('queued', 'sent', 'dead')),\n"
    "    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0), -- posts tried\n"
    "    next_attempt_ms INTEGER NOT NULL, -- UTC milliseconds: not tried again before then\n"
    "    last_error     TEXT,            -- why the last attempt failed\n"
    "    created_at     INTEGER NOT NULL, -- UTC seconds (the service's clock)\n"
    "    sent_at        INTEGER           -- UTC seconds (real time), when the gateway took it\n"
    ") STRICT;\n"
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_ms, id);\n"
    "CREATE INDEX outbox_application ON outbox (application_id);\n";

/* ---- migration 7: figures for the dashboard and the reports ---- */

/* Reports count over the applications accepted in a period. Two facts they need live in the
 * events; triggers copy them onto the application as the events are written, so that a year
 * of figures is one pass over one index instead of a join with every event:
 * - finished_at: when the centre finished the application (its first event into sealed,
 *   completed or paid) — the end of its turnaround and what its SLA is judged by;
 * - corrections: how many times it was sent back for correction (补正) — first-time-right is
 *   "never sent back".
 * Existing rows are filled from their events. Branch coordinates (lat, lon) and district are
 * in the schema since migration 1. */
static const char migration_figures_sql[] =
    "ALTER TABLE applications ADD COLUMN finished_at INTEGER\n"
    "    /* UTC seconds: the first event into sealed, completed or paid; NULL while open */;\n"
    "ALTER TABLE applications ADD COLUMN corrections INTEGER NOT NULL DEFAULT 0\n"
    "    /* times sent back for correction (events into state correction) */\n"
    "    CHECK (corrections >= 0);\n"
    "UPDATE applications SET finished_at = (SELECT min(e.at) FROM events e"
    " WHERE e.application_id = applications.id"
    " AND e.to_state IN ('sealed', 'completed', 'paid')),"
    " corrections = (SELECT count(*) FROM events e WHERE e.application_id = applications.id"
    " AND e.to_state = 'correction' AND e.from_state IS NOT 'correction');\n"
    "CREATE TRIGGER events_finished AFTER INSERT ON events\n"
    "WHEN NEW.to_state IN ('sealed', 'completed', 'paid')\n"
    "BEGIN UPDATE applications SET finished_at = NEW.at\n"
    "      WHERE id = NEW.application_id AND finished_at IS NULL; END;\n"
    "CREATE TRIGGER events_correction AFTER INSERT ON events\n"
    "WHEN NEW.to_state = 'correction' AND NEW.from_state IS NOT 'correction'\n"
    "BEGIN UPDATE applications SET corrections = corrections + 1\n"
    "      WHERE id = NEW.application_id; END;\n"
    /* The period's applications: everything the summary reads, so the scan never touches the
     * table itself. */
    "CREATE INDEX applications_report ON applications (accepted_at, branch_id, business_type,"
    " clerk_id, state, due_date, finished_at, corrections);\n"
    /* The centre's work (throughput per station and operator, returns and refusals by
     * reason) is counted per day as the events are written: a year is millions of events but
     * a few hundred thousand counters. Events are never changed or deleted, so a counter only
     * ever grows. */
    "CREATE TABLE work_counts (\n"
    "    -- work_counts: the centre's work per day, kept by trigger events_work_count: events\n"
    "    -- out of a station (completed, sent back, refused) and any event into correction\n"
    "    -- or refused, counted by day and by what they were. '' stands for NULL in the text\n"
    "    -- columns, so that they can be part of the key. Events that change neither state\n"
    "    -- nor station (custody hand-overs, a call to the applicant) are not work.\n"
    "    day          TEXT NOT NULL,    -- civil date (Asia/Shanghai) of the events, YYYY-MM-DD\n"
    "    from_state   TEXT NOT NULL,    -- the events' from_state, or ''\n"
    "    from_station TEXT NOT NULL,    -- their from_station, or ''\n"
    "    to_state     TEXT NOT NULL,    -- their to_state\n"
    "    to_station   TEXT NOT NULL,    -- their to_station, or ''\n"
    "    reason       TEXT NOT NULL,    -- their reason code, or ''\n"
    "    actor_id     INTEGER NOT NULL, -- their actor (users.id); 0 for the system\n"
    "    n            INTEGER NOT NULL CHECK (n >= 1), -- how many such events that day\n"
    "    PRIMARY KEY (day, from_state, from_station, to_state, to_station, reason, actor_id)\n"
    ") STRICT, WITHOUT ROWID;\n"
    "INSERT INTO work_counts SELECT date(at + 28800, 'unixepoch'), coalesce(from_state, ''),"
    " coalesce(from_station, ''), to_state, coalesce(to_station, ''), coalesce(reason, ''),"
    " coalesce(actor_id, 0), count(*) FROM events"
    " WHERE (from_state = 'at_station' OR to_state IN ('correction', 'refused'))"
    " AND (from_state IS NOT to_state OR from_station IS NOT to_station)"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7;\n"
    "CREATE TRIGGER events_work_count AFTER INSERT ON events\n"
    "WHEN (NEW.from_state = 'at_station' OR NEW.to_state IN ('correction', 'refused'))\n"
    "     AND (NEW.from_state IS NOT NEW.to_state OR NEW.from_station IS NOT NEW.to_station)\n"
    "BEGIN INSERT INTO work_counts VALUES (date(NEW.at + 28800, 'unixepoch'),\n"
    "      coalesce(NEW.from_state, ''), coalesce(NEW.from_station, ''), NEW.to_state,\n"
    "      coalesce(NEW.to_station, ''), coalesce(NEW.reason, ''), coalesce(NEW.actor_id, 0), 1)\n"
    "      ON CONFLICT DO UPDATE SET n = n + 1; END;\n";
/* ---- migration 8: hand-overs' received counts ---- */

/* Migration 8: how many of a hand-over's items were scanned in, kept as each scan is written
 * (the first scan of an item of the hand-over is stored with outcome 'expected'; a duplicate
 * or an extra is not), so that answering a scan does not count the hand-over's scans again:
 * a batch of 1,500 envelopes would otherwise be counted 1,500 times as it is scanned. */
static const char migration_received_counts_sql[] =
    "ALTER TABLE bags ADD COLUMN received_count INTEGER NOT NULL DEFAULT 0\n"
    "    /* distinct files of the bag scanned in at the centre (trigger below) */\n"
    "    CHECK (received_count >= 0);\n"
    "ALTER TABLE dispatch_batches ADD COLUMN received_count INTEGER NOT NULL DEFAULT 0\n"
    "    /* distinct envelopes of the batch scanned in by the mail centre */\n"
    "    CHECK (received_count >= 0);\n"
    "UPDATE bags SET received_count = (SELECT count(DISTINCT s.application_id)"
    " FROM custody_scans s JOIN bag_items i ON i.bag_id = s.bag_id"
    " AND i.application_id = s.application_id WHERE s.bag_id = bags.id);\n"
    "UPDATE dispatch_batches SET received_count = (SELECT count(DISTINCT s.application_id)"
    " FROM custody_scans s JOIN batch_items i ON i.batch_id = s.batch_id"
    " AND i.application_id = s.application_id WHERE s.batch_id = dispatch_batches.id);\n"
    "CREATE TRIGGER custody_scans_received AFTER INSERT ON custody_scans\n"
    "WHEN NEW.outcome = 'expected'\n"
    "BEGIN UPDATE bags SET received_count = received_count + 1 WHERE id = NEW.bag_id;\n"
    "      UPDATE dispatch_batches SET received_count = received_count + 1\n"
    "      WHERE id = NEW.batch_id; END;\n";

/* ---- migration 9: calendar years loaded at run time ---- */

static const char migration_calendar_sql[] =
    "CREATE TABLE calendar_years (\n"
    "    -- calendar_years: every load of a year's official holiday arrangement (the State\n"
    "    -- Council's notice) by an administrator, append-only and hash-chained (see\n"
    "    -- src/store/calendar.h). The year in force is the newest row of that year; it\n"
    "    -- replaces the same year of the calendar built into the binary.\n"
    "    id             INTEGER PRIMARY KEY, -- load order\n"
    "    year           INTEGER NOT NULL CHECK (year BETWEEN 1990 AND 2199),\n"
    "    days           INTEGER NOT NULL CHECK (days >= 1), -- its off/work rows\n"
    "    csv            TEXT NOT NULL,       -- header date,kind,name and the year's rows\n"
    "    source         TEXT NOT NULL,       -- the notice as the admin named it, or ''\n"
    "    loaded_by      INTEGER REFERENCES users (id), -- NULL: the system (command line)\n"
    "    loaded_by_name TEXT NOT NULL,       -- the admin's username, or 'system'\n"
    "    loaded_at      INTEGER NOT NULL,    -- UTC seconds\n"
    "    prev_hash      BLOB NOT NULL CHECK (length(prev_hash) = 32), -- hash of the load before\n"
    "    hash           BLOB NOT NULL UNIQUE CHECK (length(hash) = 32) -- SHA-256\n"
    ") STRICT;\n"
    "CREATE INDEX calendar_years_year ON calendar_years (year, id);\n"
    "CREATE TRIGGER calendar_years_no_update BEFORE UPDATE ON calendar_years\n"
    "BEGIN SELECT RAISE(ABORT, 'calendar loads are append-only: a load cannot be changed'); END;\n"
    "CREATE TRIGGER calendar_years_no_delete BEFORE DELETE ON calendar_years\n"
    "BEGIN SELECT RAISE(ABORT, 'calendar loads are append-only: a load cannot be deleted'); END;\n";

/* ---- the list ---- */

const struct jy__store_migration jy__store_migrations[] = {
    {1, "schema", migration_1_sql},
    {2, "application search indexes", migration_2_sql},
    {3, "fines and violation handling", migration_fines_sql},
    {4, "hall queue", migration_hall_sql},
    {5, "custody: bags, batches, discrepancies, S10 ranges", migration_custody_sql},
    {6, "carrier feed, re-dispatch, notification outbox", migration_carrier_sql},
    {7, "report figures", migration_figures_sql},
    {8, "hand-overs' received counts", migration_received_counts_sql},
    {9, "calendar years loaded at run time", migration_calendar_sql},
};

const size_t jy__store_migrations_count =
    sizeof(jy__store_migrations) / sizeof(jy__store_migrations[0]);

/* ---- applying ---- */

/* Run one statement without parameters or results on `db`. */
static int exec_simple(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* Read `PRAGMA user_version` into *ret. */
static enum jy_err read_user_version(sqlite3 *db, int *ret, struct jy_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        enum jy_err e = jy__store_db_error(db, rc, "reading the schema version", err);
        sqlite3_finalize(stmt);
        return e;
    }
    *ret = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return JY_OK;
}

/* Check that `list` is numbered 1..n in order. */
static enum jy_err check_list(const struct jy__store_migration *list, size_t n,
                              struct jy_error *err)
{
    if (n == 0 || n > 1000000)
        return jy_error_set(err, JY_INTERNAL, "bad_migrations", NULL,
                            "the migration list has %zu entries", n);
    for (size_t i = 0; i < n; i++)
        if (list[i].version != (int)i + 1 || !list[i].sql || !list[i].name)
            return jy_error_set(err, JY_INTERNAL, "bad_migrations", NULL,
                                "migration at position %zu is numbered %d, expected %zu", i,
                                list[i].version, i + 1);
    return JY_OK;
}

/* After the migrations and inside their transaction: fail when any row breaks a foreign key
 * (a migration that rebuilt a table must leave the references intact). */
static enum jy_err check_foreign_keys(sqlite3 *db, struct jy_error *err)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &stmt, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(stmt);
    enum jy_err e = JY_OK;
    if (rc == SQLITE_ROW) {
        const unsigned char *table = sqlite3_column_text(stmt, 0);
        e = jy_error_set(err, JY_INTERNAL, "migration_failed", NULL,
                         "after the migrations, table %s has a row whose foreign key points "
                         "nowhere (rowid %lld)",
                         table ? (const char *)table : "?",
                         (long long)sqlite3_column_int64(stmt, 1));
    } else if (rc != SQLITE_DONE) {
        e = jy__store_db_error(db, rc, "checking foreign keys after the migrations", err);
    }
    sqlite3_finalize(stmt);
    return e;
}

enum jy_err jy__store_migrate(sqlite3 *db, const struct jy__store_migration *list, size_t n,
                              int *ret_applied, struct jy_error *err)
{
    enum jy_err e = check_list(list, n, err);
    if (e != JY_OK)
        return e;
    int latest = list[n - 1].version;

    /* IMMEDIATE: when two processes start on one new file, the second waits for the first and
     * then finds the schema current, instead of applying the same migrations twice. */
    int rc = exec_simple(db, "BEGIN IMMEDIATE");
    if (rc != SQLITE_OK)
        return jy__store_db_error(db, rc, "starting the migrations", err);

    int current = 0;
    int applied = 0;
    e = read_user_version(db, &current, err);
    if (e != JY_OK)
        goto out;
    if (current > latest) {
        e = jy_error_set(err, JY_CONFLICT, "schema_too_new", NULL,
                         "database schema version %d is newer than this jingyou (%d); "
                         "upgrade jingyou",
                         current, latest);
        goto out;
    }
    if (current < 0) {
        e = jy_error_set(err, JY_INTERNAL, "bad_schema_version", NULL,
                         "database schema version %d is not a jingyou schema version", current);
        goto out;
    }
    for (size_t i = (size_t)current; i < n; i++) {
        char *msg = NULL;
        rc = sqlite3_exec(db, list[i].sql, NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            /* A lock held too long, a full disk or a broken file keep their own code; anything
             * else (an SQL error, a constraint the existing data breaks) is a faulty migration. */
            enum jy_err code = JY_INTERNAL;
            int primary = rc & 0xff;
            if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
                code = JY_CONFLICT;
            else if (primary == SQLITE_NOMEM)
                code = JY_NOMEM;
            else if (primary == SQLITE_IOERR || primary == SQLITE_FULL ||
                     primary == SQLITE_CORRUPT || primary == SQLITE_READONLY)
                code = JY_IO;
            e = jy_error_set(err, code, "migration_failed", NULL, "migration %d (%s) failed: %s",
                             list[i].version, list[i].name, msg ? msg : sqlite3_errstr(rc));
            sqlite3_free(msg);
            goto out;
        }
        applied++;
    }
    if (applied > 0) {
        char pragma[64];
        snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", latest);
        rc = exec_simple(db, pragma);
        if (rc != SQLITE_OK) {
            e = jy__store_db_error(db, rc, "recording the schema version", err);
            goto out;
        }
        e = check_foreign_keys(db, err);
        if (e != JY_OK)
            goto out;
    }
    rc = exec_simple(db, "COMMIT");
    if (rc != SQLITE_OK) {
        e = jy__store_db_error(db, rc, "committing the migrations", err);
        goto out;
    }
    *ret_applied = applied;
    return JY_OK;

out:
    if (!sqlite3_get_autocommit(db))
        exec_simple(db, "ROLLBACK");
    return e;
}
