/*
 * fangzha serve: runs the platform's HTTP API until SIGTERM or SIGINT; SIGHUP reloads rules
 * and model. Signals are taken with sigwait in the main thread, so no work happens in a signal
 * handler.
 */
#include "compat.h"

#include "cli.h"

#include "fangzha/server.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
    "usage: fangzha serve [--config FILE] [--db PATH] [--listen ADDR:PORT] [--rules DIR | "
    "--no-rules]\n"
    "                     [--model MODEL] [--threads N] [--ready-file PATH] [--sync normal]\n"
    "\n"
    "Serves the HTTP API (docs/api.md) until SIGTERM or SIGINT; SIGHUP reloads the rules and\n"
    "the model (a failed reload keeps the running engine).\n"
    "\n"
    "options (flags win over the configuration file):\n"
    "  --config FILE        settings file (docs/config.md): name = value lines\n"
    "  --db PATH            SQLite database, created when missing (default fangzha.db)\n"
    "  --listen ADDR:PORT   address to listen on (default 127.0.0.1:8080; port 0 = any free)\n"
    "  --rules DIR          rule files (default: the shipped rules)\n"
    "  --no-rules           screen without rules\n"
    "  --model MODEL        classifier model file (default: none)\n"
    "  --web DIR            the web pages: portal at /, console at /console/ (default: the\n"
    "                       shipped web/); --no-web serves the API only\n"
    "  --threads N          HTTP threads (default: one per core)\n"
    "  --workers N          threads for requests that use the database (default 32)\n"
    "  --body-max BYTES     largest request body (default 65536)\n"
    "  --ready-file PATH    write the listening port here once serving (for scripts)\n"
    "  --sync normal        SQLite synchronous=NORMAL (default FULL: every commit synced)\n"
    "  --rate-check N       anonymous checks per client and second (default 50; 0 = off)\n"
    "  --rate-report N      anonymous reports per client and minute (default 5; 0 = off)\n"
    "  --routes             print the route table (JSON Lines) and exit\n"
    "  -h, --help           this help\n"
    "\n"
    "Exit codes: 0 stopped by a signal, 1 runtime failure, 2 bad usage.\n";

struct serve_args {
    struct fz_server_opts o;
    const char *ready_file;
    struct fz_arena strings; /* the configuration file's values */
};

static bool parse_count(const char *s, long max, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end || v < 0 || v > max)
        return false;
    *out = v;
    return true;
}

static int parse_numeric(int opt, const char *arg, struct serve_args *a)
{
    long v;
    static const long max[] = {
        ['t'] = 256, ['w'] = 1024, ['b'] = 16 << 20, ['C'] = 1000000, ['R'] = 1000000};
    if (!parse_count(arg, max[opt], &v) || ((opt == 't' || opt == 'w') && v == 0) ||
        (opt == 'b' && v < 1024)) {
        cli_error("serve", "bad value '%s' for --%s", arg,
                  opt == 't'   ? "threads"
                  : opt == 'w' ? "workers"
                  : opt == 'b' ? "body-max"
                  : opt == 'C' ? "rate-check"
                               : "rate-report");
        return CLI_USAGE;
    }
    if (opt == 't')
        a->o.threads = (unsigned)v;
    else if (opt == 'w')
        a->o.workers = (unsigned)v;
    else if (opt == 'b')
        a->o.body_max = (size_t)v;
    else if (opt == 'C')
        a->o.check_per_s = v ? (int)v : -1;
    else
        a->o.report_per_min = v ? (int)v : -1;
    return -1;
}

static int parse_args(int argc, char **argv, struct serve_args *a)
{
    static const struct option longs[] = {{"db", required_argument, 0, 'd'},
                                          {"listen", required_argument, 0, 'l'},
                                          {"rules", required_argument, 0, 'r'},
                                          {"no-rules", no_argument, 0, 'N'},
                                          {"model", required_argument, 0, 'm'},
                                          {"threads", required_argument, 0, 't'},
                                          {"workers", required_argument, 0, 'w'},
                                          {"body-max", required_argument, 0, 'b'},
                                          {"ready-file", required_argument, 0, 'F'},
                                          {"sync", required_argument, 0, 's'},
                                          {"rate-check", required_argument, 0, 'C'},
                                          {"rate-report", required_argument, 0, 'R'},
                                          {"help", no_argument, 0, 'h'},
                                          {"routes", no_argument, 0, 'P'},
                                          {"web", required_argument, 0, 'W'},
                                          {"no-web", no_argument, 0, 'X'},
                                          {"config", required_argument, 0, 'c'},
                                          {0, 0, 0, 0}};
    int c, rc;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'd': a->o.db_path = optarg; break;
        case 'l': a->o.listen = optarg; break;
        case 'r': a->o.rules_dir = optarg; break;
        case 'N': a->o.rules_dir = NULL; break;
        case 'm': a->o.model_path = optarg; break;
        case 'W': a->o.web_dir = optarg; break;
        case 'X': a->o.web_dir = NULL; break;
        case 'F': a->ready_file = optarg; break;
        case 's':
            if (strcmp(optarg, "normal") && strcmp(optarg, "full")) {
                cli_error("serve", "--sync wants normal or full, not '%s'", optarg);
                return CLI_USAGE;
            }
            a->o.sync_normal = !strcmp(optarg, "normal");
            break;
        case 't':
        case 'w':
        case 'b':
        case 'C':
        case 'R':
            if ((rc = parse_numeric(c, optarg, a)) >= 0)
                return rc;
            break;
        case 'P': fz_server_print_routes(stdout); return CLI_OK;
        case 'c': break; /* read before the flags (load_config) */
        case 'h': fputs(usage, stdout); return CLI_OK;
        default: fputs(usage, stderr); return CLI_USAGE;
        }
    }
    if (optind < argc) {
        cli_error("serve", "unexpected argument '%s'", argv[optind]);
        return CLI_USAGE;
    }
    return -1;
}

/* The file of --config FILE (or --config=FILE), read before the flags so that flags win. */
static int load_config(int argc, char **argv, struct serve_args *a)
{
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc)
            path = argv[i + 1];
        else if (!strncmp(argv[i], "--config=", 9))
            path = argv[i] + 9;
    }
    if (!path)
        return -1;
    FILE *f = fopen(path, "rb");
    struct fz_buf b;
    fz_buf_init(&b, 1 << 20);
    struct fz_err err = {0};
    fz_rc rc = f ? fz_buf_read(&b, f) : FZ_EIO;
    if (f)
        fclose(f);
    if (!rc)
        rc = fz_server_config_parse(b.ptr ? b.ptr : "", b.len, &a->o, &a->strings, &err);
    fz_buf_release(&b);
    if (rc == FZ_EIO)
        cli_error("serve", "cannot read the configuration '%s'", path);
    else if (rc && err.line)
        cli_error("serve", "%s:%zu: %s", path, err.line, err.msg);
    else if (rc)
        cli_error("serve", "%s: %s", path, err.msg[0] ? err.msg : fz_strerror(rc));
    return rc == FZ_OK ? -1 : rc == FZ_EIO ? CLI_RUNTIME : CLI_USAGE;
}

/* Structured logs: one JSON object per line on stderr (journald keeps them whole). */
static void log_json(void *ud, enum fz_log_level level, const char *module, const char *msg)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    (void)ud;
    struct fz_buf b;
    fz_buf_init(&b, 8192);
    struct fz_json j;
    fz_json_init(&j, &b);
    time_t now = time(NULL);
    struct tm tm;
    char ts[32];
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    fz_json_obj(&j);
    fz_json_key(&j, "ts");
    fz_json_cstr(&j, ts);
    fz_json_key(&j, "level");
    fz_json_cstr(&j, names[level]);
    fz_json_key(&j, "module");
    fz_json_cstr(&j, module);
    fz_json_key(&j, "msg");
    fz_json_cstr(&j, msg);
    fz_json_obj_end(&j);
    if (!j.rc)
        fprintf(stderr, "%s\n", b.ptr);
    fz_buf_release(&b);
}

static bool write_ready(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    bool ok = fprintf(f, "%u\n", port) > 0;
    ok = !fclose(f) && ok;
    return ok && !rename(tmp, path);
}

/* Waits for signals: SIGHUP reloads, SIGTERM and SIGINT return. */
static void wait_for_stop(struct fz_server *s, const sigset_t *set)
{
    for (;;) {
        int sig;
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            return;
        struct fz_err err = {0};
        if (fz_server_reload(s, &err) != FZ_OK)
            cli_error("serve", "reload failed, the running engine stays: %s", err.msg);
        else
            fprintf(stderr, "fangzha serve: reloaded rules and model\n");
    }
}

/* Runs the server with the settings until a stop signal. */
static int serve(struct serve_args *ap)
{
    struct serve_args a = *ap;
    fz_log_set(log_json, NULL, fz_log_enabled(FZ_LOG_INFO, "server") ? FZ_LOG_INFO : FZ_LOG_WARN);
    char cache[4096];
    if (!a.o.cache_dir)
        a.o.cache_dir = cli_cache_dir(cache, sizeof cache);
    /* Block the signals before any thread starts, so every thread inherits the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct fz_server *s;
    struct fz_err err = {0};
    if (fz_server_start(&a.o, &s, &err) != FZ_OK) {
        cli_error("serve", "%s", err.msg);
        return CLI_RUNTIME;
    }
    fprintf(stderr, "fangzha serve: listening on port %u (database %s)\n", fz_server_port(s),
            a.o.db_path);
    if (a.ready_file && !write_ready(a.ready_file, fz_server_port(s))) {
        cli_error("serve", "cannot write the ready file '%s'", a.ready_file);
        fz_server_stop(s);
        return CLI_RUNTIME;
    }
    wait_for_stop(s, &set);
    fz_server_stop(s);
    fprintf(stderr, "fangzha serve: stopped\n");
    return CLI_OK;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_args a = {.o = {.db_path = "fangzha.db",
                                 .rules_dir = FZ_DEFAULT_RULES_DIR,
                                 .web_dir = FZ_DEFAULT_WEB_DIR}};
    fz_arena_init(&a.strings, 4096);
    int rc = load_config(argc, argv, &a);
    if (rc < 0)
        rc = parse_args(argc, argv, &a);
    if (rc >= 0) {
        fz_arena_release(&a.strings);
        return rc;
    }
    rc = serve(&a);
    fz_arena_release(&a.strings);
    return rc;
}
