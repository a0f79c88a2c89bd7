/*
 * cmd_serve.c — `jingyou serve`: run the service over HTTP until SIGINT or SIGTERM.
 *
 * `--demo` on an empty database first loads the demo city (src/service/demo.c), then marks
 * every response with X-Jingyou-Demo: 1.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "service/calendar.h"
#include "core/date.h"
#include "http/api.h"
#include "limits.h"
#include "http/server.h"
#include "http/session.h"
#include "service/demo.h"
#include "service/outbox.h"
#include "service/service.h"
#include "../banned.h"

const char jy_cmd_serve_usage[] =
    "usage: jingyou serve [--db PATH] [--port N] [--listen ADDR] [--demo[=week]] [--web DIR]\n"
    "                     [--threads N] [--holidays FILE] [--clock YYYY-MM-DDTHH:MM:SSZ]\n"
    "                     [--public-url URL] [--keys DIR]\n"
    "                     [--commit-per-request] [--track-rate N] [--sms-url URL]\n"
    "                     [--sms-backoff-ms N]\n"
    "\n"
    "Serve the jingyou API and pages over HTTP until interrupted (Ctrl-C or SIGTERM).\n"
    "  --db PATH      the SQLite database (default var/jingyou.db; created when missing)\n"
    "  --port N       TCP port (default 8080; 0 picks a free one)\n"
    "  --listen ADDR  address to listen on (default 127.0.0.1, loopback only)\n"
    "  --demo         load the demo city into an empty database; mark every page as demo\n"
    "  --demo=week    the same, then a simulated week of the city (jingyou simulate) up to\n"
    "                 today: thousands of applications in every state\n"
    "  --web DIR      the pages (default: web/ here, or beside the program)\n"
    "  --threads N    worker threads (default 16; 0: one per core)\n"
    "  --holidays FILE  the holiday calendar (data/holidays.csv format) instead of the one\n"
    "                 built in, e.g. when the State Council publishes a new year's notice\n"
    "  --clock TIME   start the service's clock at TIME (UTC) instead of now; for rehearsals\n"
    "                 and tests that must not depend on the day they run\n"
    "  --public-url URL  where citizens reach this service, the start of the tracking link\n"
    "                 in every receipt's QR code (default http://ADDR:PORT)\n"
    "  --keys DIR     the receipt signing key pair (default keys/ beside the database;\n"
    "                 created, mode 0700/0600, when missing)\n"
    "  --commit-per-request  commit every request's writes by themselves (one fsync each)\n"
    "                 instead of in groups; for benchmarks that compare the two\n"
    "  --track-rate N  public tracking lookups one client may make per minute, and in one\n"
    "                 burst (default 30 a minute, bursts of 10); for benchmarks\n"
    "  --sms-url URL  the SMS gateway the outbox's sender posts text messages to (JSON; see\n"
    "                 src/service/outbox.h); without it messages stay queued\n"
    "  --sms-backoff-ms N  the wait after a failed post, doubled after each failure\n"
    "                 (default 30000; a message is dead after 6 failed attempts)\n";

static bool parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || !end || *end || end == s || *s == '-' || v > max)
        return false;
    *ret = v;
    return true;
}

/* "YYYY-MM-DDTHH:MM:SSZ" → UTC seconds. */
static bool parse_clock(const char *s, int64_t *ret)
{
    struct jy_date d;
    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' ||
        jy_date_parse(s, 10, &d, NULL) != JY_OK)
        return false;
    int hms[3];
    for (int i = 0; i < 3; i++) {
        const char *p = s + 11 + 3 * i;
        if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
            return false;
        hms[i] = (p[0] - '0') * 10 + (p[1] - '0');
    }
    if (hms[0] > 23 || hms[1] > 59 || hms[2] > 59)
        return false;
    *ret = jy_date_to_days(d) * 86400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
    return *ret > 0;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* web/ in the working directory, else ../web beside the program (build/jingyou → web/). */
static const char *find_web_dir(char *buf, size_t size)
{
    if (is_dir("web"))
        return "web";
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int n2 = snprintf(buf, size, "%.4000s/../web", exe);
            if (n2 > 0 && (size_t)n2 < size && is_dir(buf))
                return buf;
        }
    }
    return "web";
}

int jy_cmd_serve(int argc, char **argv)
{
    const char *db = NULL, *listen = "127.0.0.1", *web = NULL, *holidays = NULL;
    const char *public_url = NULL, *keys = NULL, *sms_url = NULL;
    unsigned long sms_backoff_ms = 0;
    int64_t clock_start = 0;
    unsigned long port = 8080, threads = JY_SERVE_DEFAULT_THREADS;
    unsigned long track_rate = 0;
    bool demo = false, demo_week = false, commit_per_request = false;
    char q[JY_CLI_QUOTE_SIZE];
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes_value = strcmp(a, "--db") == 0 || strcmp(a, "--listen") == 0 ||
                           strcmp(a, "--web") == 0 || strcmp(a, "--port") == 0 ||
                           strcmp(a, "--threads") == 0 || strcmp(a, "--holidays") == 0 ||
                           strcmp(a, "--clock") == 0 || strcmp(a, "--public-url") == 0 ||
                           strcmp(a, "--keys") == 0 || strcmp(a, "--track-rate") == 0 ||
                           strcmp(a, "--sms-url") == 0 || strcmp(a, "--sms-backoff-ms") == 0;
        if (takes_value && !v)
            return jy_cli_usage_error("serve", jy_cmd_serve_usage, "%s needs a value", a);
        if (strcmp(a, "--demo") == 0) {
            demo = true;
        } else if (strcmp(a, "--demo=week") == 0) {
            demo = demo_week = true;
        } else if (strcmp(a, "--commit-per-request") == 0) {
            commit_per_request = true;
        } else if (strcmp(a, "--track-rate") == 0 && v) {
            if (!parse_uint(v, 1000000, &track_rate) || track_rate == 0) {
                fprintf(stderr, "jingyou serve: --track-rate takes 1..1000000, not '%s'\n",
                        jy_cli_quote(v, q));
                return JY_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--db") == 0 && v) {
            db = v;
            i++;
        } else if (strcmp(a, "--listen") == 0 && v) {
            listen = v;
            i++;
        } else if (strcmp(a, "--public-url") == 0 && v) {
            public_url = v;
            i++;
        } else if (strcmp(a, "--sms-url") == 0 && v) {
            sms_url = v;
            i++;
        } else if (strcmp(a, "--sms-backoff-ms") == 0 && v) {
            if (!parse_uint(v, 3600000, &sms_backoff_ms) || sms_backoff_ms == 0) {
                fprintf(stderr, "jingyou serve: --sms-backoff-ms takes 1..3600000, not '%s'\n",
                        jy_cli_quote(v, q));
                return JY_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--keys") == 0 && v) {
            keys = v;
            i++;
        } else if (strcmp(a, "--holidays") == 0 && v) {
            holidays = v;
            i++;
        } else if (strcmp(a, "--clock") == 0 && v) {
            if (!parse_clock(v, &clock_start)) {
                fprintf(stderr,
                        "jingyou serve: --clock takes a UTC time like 2026-11-30T02:00:00Z, "
                        "not '%s'\n",
                        jy_cli_quote(v, q));
                return JY_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--web") == 0 && v) {
            web = v;
            i++;
        } else if (strcmp(a, "--port") == 0 && v) {
            if (!parse_uint(v, 65535, &port)) {
                fprintf(stderr, "jingyou serve: --port takes 0..65535, not '%s'\n",
                        jy_cli_quote(v, q));
                return JY_EXIT_USAGE;
            }
            i++;
        } else if (strcmp(a, "--threads") == 0 && v) {
            if (!parse_uint(v, 256, &threads)) {
                fprintf(stderr, "jingyou serve: --threads takes 0..256, not '%s'\n",
                        jy_cli_quote(v, q));
                return JY_EXIT_USAGE;
            }
            i++;
        } else {
            return jy_cli_usage_error("serve", jy_cmd_serve_usage, "unexpected argument '%s'",
                                      jy_cli_quote(a, q));
        }
    }

    struct jy_error err;
    jy_error_clear(&err);
    if (jy_session_init(&err) != JY_OK) {
        fprintf(stderr, "jingyou serve: %s\n", err.message);
        return JY_EXIT_FAIL;
    }
    char keys_dir[JY_STORE_PATH_MAX_BYTES + 1];
    int keys_rc = jy_cli_prepare_keys(db, keys, keys_dir, sizeof(keys_dir), NULL);
    if (keys_rc != JY_EXIT_OK)
        return keys_rc;
    struct jy_service_config cfg = {.db_path = db,
                                    .demo = demo,
                                    .clock_start = clock_start,
                                    .keys_dir = keys_dir,
                                    .public_url = public_url,
                                    .commit_per_request = commit_per_request};
    char *holidays_text = NULL;
    if (holidays) {
        holidays_text = jy_cli_read_file(holidays, JY_CALENDAR_MAX_BYTES, &cfg.holidays_csv_len);
        if (!holidays_text)
            return JY_EXIT_FAIL;
        cfg.holidays_csv = holidays_text;
    }
    struct jy_service *svc = NULL;
    enum jy_err opened = jy_service_open(&cfg, &svc, &err);
    free(holidays_text);
    if (opened != JY_OK) {
        /* The message may quote the database path. */
        fputs("jingyou serve: ", stderr);
        jy_cli_fputs_safe(err.message, stderr);
        fputc('\n', stderr);
        return JY_EXIT_FAIL;
    }
    if (demo_week ? jy_cli_demo_week(svc, &err) != JY_OK
                  : demo && jy_demo_seed(svc, &err) != JY_OK) {
        fprintf(stderr, "jingyou serve: loading the demo city: %s\n", err.message);
        jy_service_close(svc);
        return JY_EXIT_FAIL;
    }

    /* Next year's holiday arrangement missing: say so at every start (service/calendar.h). */
    struct jy_calendar_status cal_status;
    jy_calendar_years_status(svc, &cal_status);
    if (cal_status.warn) {
        char warning[512];
        fprintf(stderr, "jingyou serve: warning: %s\n",
                jy_calendar_years_warning(&cal_status, warning, sizeof(warning)));
    }

    char webbuf[4200];
    jy_api_set_web_dir(web ? web : find_web_dir(webbuf, sizeof(webbuf)));
    const struct jy_http_route *routes;
    size_t n_routes = jy_api_routes(&routes);

    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    struct jy_http_server_config scfg = {
        .address = listen,
        .port = (uint16_t)port,
        .threads = (unsigned)threads,
        .routes = routes,
        .n_routes = n_routes,
        .app = svc,
        .authenticate = jy_api_authenticate,
        .extra_header_name = demo ? "X-Jingyou-Demo" : NULL,
        .extra_header_value = demo ? "1" : NULL,
        .rate_burst = (uint32_t)track_rate,
        .rate_per_minute = (uint32_t)track_rate,
    };
    struct jy_http_server *server = NULL;
    if (jy_http_server_start(&scfg, &server, &err) != JY_OK) {
        fprintf(stderr, "jingyou serve: %s\n", err.message);
        jy_service_close(svc);
        return JY_EXIT_FAIL;
    }
    bool v6 = strchr(listen, ':') != NULL;
    if (!public_url) {
        char url[128];
        snprintf(url, sizeof(url), "http://%s%.64s%s:%u", v6 ? "[" : "", listen, v6 ? "]" : "",
                 (unsigned)jy_http_server_port(server));
        if (jy_service_set_public_url(svc, url, &err) != JY_OK)
            fprintf(stderr, "jingyou serve: public URL %s: %s\n", url, err.message);
    }
    printf("jingyou serving http://%s%s%s:%u/  (database %s)\n", v6 ? "[" : "", listen,
           v6 ? "]" : "", (unsigned)jy_http_server_port(server),
           db ? jy_cli_quote(db, q) : "var/jingyou.db");
    if (demo) {
        size_t n;
        const struct jy_demo_login *l = jy_demo_logins(&n);
        printf("demo city (演示数据) — every login has the password %s:\n", JY_DEMO_PASSWORD);
        for (size_t i = 0; i < n; i++)
            printf("  %-11s %-10s %s\n", l[i].username, l[i].role, l[i].what);
    }
    fflush(stdout);

    /* The outbox's sender: its own thread, never inside a request (src/service/outbox.h). */
    struct jy_outbox_config ocfg = {.url = sms_url, .backoff_ms = (int64_t)sms_backoff_ms};
    struct jy_outbox_sender *sender = NULL;
    if (jy_outbox_sender_start(svc, &ocfg, &sender, &err) != JY_OK) {
        fprintf(stderr, "jingyou serve: --sms-url: %s\n", err.message);
        jy_http_server_stop(server);
        jy_service_close(svc);
        return JY_EXIT_USAGE;
    }

    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "jingyou serve: stopping (signal %d)\n", sig);
    jy_http_server_stop(server);
    if (jy_service_writer(svc)) {
        uint64_t commits = 0, writes = 0;
        jy_store_writer_counts(jy_service_writer(svc), &commits, &writes);
        fprintf(stderr, "jingyou serve: group commit: %llu writes in %llu commits\n",
                (unsigned long long)writes, (unsigned long long)commits);
    }
    jy_outbox_sender_stop(sender);
    jy_service_close(svc);
    return JY_EXIT_OK;
}
