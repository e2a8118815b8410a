/*
 * gen_cdr: writes the call detail records of a simulated city (cdrsim.h) as CSV or JSON Lines,
 * in start-time order, with the ground truth beside them: a label per caller, the potential
 * victims of every fraud number, and the numbers an operator would whitelist. Same options and
 * seed, same bytes. docs/internals/cdrsim.md says what is planted and why.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cdrsim.h"

static const char usage[] =
    "usage: gen_cdr [options]\n"
    "Writes simulated call detail records (CSV with a header, or JSON Lines) in start-time\n"
    "order: ordinary subscribers, couriers, delivery riders, businesses, call centres, banks,\n"
    "IoT SIMs, and planted fraud (mass diallers, GOIP racks, Wangiri, spoofed international\n"
    "calls, impersonators). Same options and seed, same bytes.\n"
    "\n"
    "  --people N        residents (default 10000; about 3 records per person per day)\n"
    "  --days N          simulated days (default 1)\n"
    "  --seed N          random seed (default 1)\n"
    "  --start DATE      first midnight, Beijing time: YYYY-MM-DD[THH:MM] or @EPOCH\n"
    "                    (default 2026-11-01)\n"
    "  --out FILE        write the records to FILE instead of stdout\n"
    "  --iso             start_time as ISO 8601 with +08:00 instead of epoch seconds\n"
    "  --jsonl           JSON Lines instead of CSV (same keys)\n"
    "  --labels FILE     CSV number,label,archetype for every caller (label fraud or legit)\n"
    "  --victims FILE    CSV resident,fraud_number,archetype,calls,answered,total_talk_s,\n"
    "                    max_talk_s: every resident a fraud number reached\n"
    "  --whitelist FILE  banks' and courier/delivery companies' service numbers, one a line\n"
    "  --discard         generate without writing the records (to time the simulator)\n"
    "  --stats           print counts and the rate to stderr\n"
    "  --help            this text\n"
    "\n"
    "CSV columns: caller,callee,start_time,duration_s,ring_s,direction,type,cell_id,imei,imsi,\n"
    "trunk (direction out; type voice or sms; trunk domestic or international; cell_id, imei\n"
    "and imsi empty when unknown, null in JSON Lines).\n"
    "Exit status: 0 ok, 1 write error or out of memory, 2 bad usage.\n";

#define OUT_CAP (1u << 20)

struct out {
    FILE *f;
    char buf[OUT_CAP];
    size_t len;
    bool failed, iso, jsonl;
    int64_t iso_day; /* the day whose date is cached in date[] */
    char date[32];
};

static void flush_out(struct out *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = true;
    o->len = 0;
}

static inline void put(struct out *o, const char *s, size_t n)
{
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static inline void put_str(struct out *o, const char *s)
{
    while (*s)
        o->buf[o->len++] = *s++;
}

static inline void put_u64(struct out *o, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        o->buf[o->len++] = tmp[--n];
}

static inline void put_i64(struct out *o, int64_t v)
{
    if (v < 0) {
        o->buf[o->len++] = '-';
        put_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        put_u64(o, (uint64_t)v);
    }
}

static void put_2(struct out *o, unsigned v)
{
    o->buf[o->len++] = (char)('0' + v / 10);
    o->buf[o->len++] = (char)('0' + v % 10);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* The start time: epoch seconds, or ISO 8601 in Beijing time. */
static void put_time(struct out *o, int64_t t)
{
    if (!o->iso) {
        put_i64(o, t);
        return;
    }
    int64_t local = t + 8 * 3600;
    int64_t day = local >= 0 ? local / 86400 : (local - 86399) / 86400;
    unsigned sec = (unsigned)(local - day * 86400);
    if (day != o->iso_day) {
        int64_t y;
        unsigned m, d;
        civil_from_days(day, &y, &m, &d);
        snprintf(o->date, sizeof o->date, "%04" PRId64 "-%02u-%02u", y, m, d);
        o->iso_day = day;
    }
    if (o->jsonl)
        put(o, "\"", 1);
    put_str(o, o->date);
    put(o, "T", 1);
    put_2(o, sec / 3600);
    put(o, ":", 1);
    put_2(o, sec / 60 % 60);
    put(o, ":", 1);
    put_2(o, sec % 60);
    put(o, "+08:00", 6);
    if (o->jsonl)
        put(o, "\"", 1);
}

static void put_csv(struct out *o, const struct cdrsim_rec *r)
{
    put_str(o, r->caller);
    put(o, ",", 1);
    put_str(o, r->callee);
    put(o, ",", 1);
    put_time(o, r->start);
    put(o, ",", 1);
    put_i64(o, r->duration_s);
    put(o, ",", 1);
    put_i64(o, r->ring_s);
    if (r->is_sms)
        put(o, ",out,sms,", 9);
    else
        put(o, ",out,voice,", 11);
    if (r->cell_id)
        put_u64(o, r->cell_id);
    put(o, ",", 1);
    put_str(o, r->imei);
    put(o, ",", 1);
    put_str(o, r->imsi);
    if (r->is_international_trunk)
        put(o, ",international\n", 15);
    else
        put(o, ",domestic\n", 10);
}

static void put_json_str(struct out *o, const char *key, const char *v)
{
    put_str(o, key);
    if (!*v) {
        put(o, "null", 4);
        return;
    }
    put(o, "\"", 1);
    put_str(o, v); /* digits and '+' only: nothing to escape */
    put(o, "\"", 1);
}

static void put_jsonl(struct out *o, const struct cdrsim_rec *r)
{
    put_json_str(o, "{\"caller\":", r->caller);
    put_json_str(o, ",\"callee\":", r->callee);
    put_str(o, ",\"start_time\":");
    put_time(o, r->start);
    put_str(o, ",\"duration_s\":");
    put_i64(o, r->duration_s);
    put_str(o, ",\"ring_s\":");
    put_i64(o, r->ring_s);
    put_str(o, r->is_sms ? ",\"direction\":\"out\",\"type\":\"sms\",\"cell_id\":"
                         : ",\"direction\":\"out\",\"type\":\"voice\",\"cell_id\":");
    if (r->cell_id)
        put_u64(o, r->cell_id);
    else
        put(o, "null", 4);
    put_json_str(o, ",\"imei\":", r->imei);
    put_json_str(o, ",\"imsi\":", r->imsi);
    put_str(o, r->is_international_trunk ? ",\"trunk\":\"international\"}\n"
                                         : ",\"trunk\":\"domestic\"}\n");
}

static int on_record(void *ud, const struct cdrsim_rec *r)
{
    struct out *o = ud;
    if (o->len > OUT_CAP - 512)
        flush_out(o);
    if (o->jsonl)
        put_jsonl(o, r);
    else
        put_csv(o, r);
    return o->failed;
}

static int discard_record(void *ud, const struct cdrsim_rec *r)
{
    uint64_t *sink = ud; /* the record's fields, not the strings they point to */
    *sink +=
        (uint64_t)r->start + (uintptr_t)r->caller + (uintptr_t)r->callee + (uint64_t)r->duration_s;
    return 0;
}

static int on_label(void *ud, const char *number, bool is_fraud, enum cdrsim_arch a)
{
    return fprintf(ud, "%s,%s,%s\n", number, is_fraud ? "fraud" : "legit", cdrsim_arch_name(a)) < 0;
}

static int on_victim(void *ud, const struct cdrsim_victim *v)
{
    return fprintf(ud, "%s,%s,%s,%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu32 "\n", v->resident,
                   v->fraud_number, cdrsim_arch_name(v->arch), v->calls, v->answered,
                   v->total_talk_s, v->max_talk_s) < 0;
}

static int on_white(void *ud, const char *number) { return fprintf(ud, "%s\n", number) < 0; }

/* Says what is wrong with the command line; returns the exit status of bad usage. */
static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "gen_cdr: %s '%s'\n(gen_cdr --help for usage)\n", what, arg);
    return 2;
}

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* YYYY-MM-DD[THH:MM] in Beijing time, or @EPOCH. */
static bool parse_start(const char *s, int64_t *out)
{
    uint64_t epoch;
    if (s[0] == '@') {
        if (!parse_u64(s + 1, INT64_MAX, &epoch))
            return false;
        *out = (int64_t)epoch;
        return true;
    }
    unsigned y, m, d, hh = 0, mm = 0;
    int n = 0;
    if (sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3)
        return false;
    if (s[n] == 'T' || s[n] == ' ') {
        int k = 0;
        if (sscanf(s + n + 1, "%2u:%2u%n", &hh, &mm, &k) != 2)
            return false;
        n += 1 + k;
    }
    if (s[n] || m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59)
        return false;
    *out = days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 - 8 * 3600;
    return true;
}

struct args {
    struct cdrsim_opts opts;
    const char *out, *labels, *victims, *whitelist;
    bool iso, jsonl, discard, stats;
};

static int parse_args(int argc, char **argv, struct args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage, stdout);
            return -1;
        } else if (!strcmp(o, "--iso")) {
            a->iso = true;
        } else if (!strcmp(o, "--jsonl")) {
            a->jsonl = true;
        } else if (!strcmp(o, "--discard")) {
            a->discard = true;
        } else if (!strcmp(o, "--stats")) {
            a->stats = true;
        } else if (!v) {
            return bad_usage("unknown option or missing value", o);
        } else if (!strcmp(o, "--people")) {
            if (!parse_u64(v, CDRSIM_MAX_PEOPLE, &n) || !n)
                return bad_usage("bad --people (1 to 100000000)", v);
            a->opts.people = (uint32_t)n, i++;
        } else if (!strcmp(o, "--days")) {
            if (!parse_u64(v, CDRSIM_MAX_DAYS, &n) || !n)
                return bad_usage("bad --days (1 to 3650)", v);
            a->opts.days = (uint32_t)n, i++;
        } else if (!strcmp(o, "--seed")) {
            if (!parse_u64(v, UINT64_MAX, &n))
                return bad_usage("bad --seed", v);
            a->opts.seed = n, i++;
        } else if (!strcmp(o, "--start")) {
            if (!parse_start(v, &a->opts.start))
                return bad_usage("bad --start (YYYY-MM-DD[THH:MM] or @EPOCH)", v);
            i++;
        } else if (!strcmp(o, "--out")) {
            a->out = v, i++;
        } else if (!strcmp(o, "--labels")) {
            a->labels = v, i++;
        } else if (!strcmp(o, "--victims")) {
            a->victims = v, i++;
        } else if (!strcmp(o, "--whitelist")) {
            a->whitelist = v, i++;
        } else {
            return bad_usage("unknown option", o);
        }
    }
    if (a->discard && a->out)
        return bad_usage("--discard does not go with --out", a->out);
    return 0;
}

/* Writes one of the ground-truth files with walk; false when it cannot be written. */
static bool write_side(const char *path, const char *header, struct cdrsim *s,
                       int (*walk)(struct cdrsim *s, void *f))
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "gen_cdr: cannot write '%s': %s\n", path, strerror(errno));
        return false;
    }
    bool ok = (!header || fputs(header, f) >= 0) && walk(s, f) == 0;
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "gen_cdr: cannot write '%s'\n", path);
        return false;
    }
    return true;
}

static int walk_labels(struct cdrsim *s, void *f) { return cdrsim_labels(s, on_label, f); }
static int walk_victims(struct cdrsim *s, void *f) { return cdrsim_victims(s, on_victim, f); }
static int walk_white(struct cdrsim *s, void *f) { return cdrsim_whitelist(s, on_white, f); }

/* Wall-clock seconds, and this process's CPU seconds (the machines are shared: the CPU time
 * is the figure that other tenants disturb least). */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_stats(const struct cdrsim *s, const struct args *a, double secs, double cpu)
{
    struct cdrsim_stats st;
    cdrsim_stats(s, &st);
    fprintf(stderr,
            "gen_cdr: %" PRIu64 " records (people %" PRIu32 ", days %" PRIu32 ", seed %" PRIu64
            ") in %.2f s = %.0f records/s; %.2f s CPU = %.0f records per CPU second%s\n",
            st.records, a->opts.people, a->opts.days, a->opts.seed, secs,
            secs > 0 ? (double)st.records / secs : 0.0, cpu,
            cpu > 0 ? (double)st.records / cpu : 0.0, a->discard ? " (discarded)" : "");
    fprintf(stderr,
            "gen_cdr: %.2f records per person per day, %" PRIu64 " sms, %" PRIu64
            " international, %" PRIu64 " victim pairs\n",
            (double)st.records / a->opts.people / a->opts.days, st.sms, st.international,
            st.victims);
    fprintf(stderr, "gen_cdr: %-13s %9s %9s %12s\n", "archetype", "planted", "callers", "records");
    for (int i = 0; i < CDRSIM_ARCH_COUNT; i++)
        if (i != CDRSIM_UNALLOCATED)
            fprintf(stderr, "gen_cdr: %-13s %9" PRIu32 " %9" PRIu32 " %12" PRIu64 "\n",
                    cdrsim_arch_name(i), st.entities[i], st.callers[i], st.records_by_caller[i]);
}

static int run(struct cdrsim *s, const struct args *a, double *secs, double *cpu)
{
    static struct out o;
    uint64_t sink = 0;
    double t0 = now(), c0 = cpu_now();
    if (a->discard) {
        int rc = cdrsim_run(s, discard_record, &sink);
        *secs = now() - t0;
        *cpu = cpu_now() - c0;
        return rc || sink == 1 ? 1 : 0;
    }
    o.f = a->out ? fopen(a->out, "w") : stdout;
    if (!o.f) {
        fprintf(stderr, "gen_cdr: cannot write '%s': %s\n", a->out, strerror(errno));
        return 1;
    }
    o.iso = a->iso;
    o.jsonl = a->jsonl;
    o.iso_day = INT64_MIN;
    if (!o.jsonl)
        put_str(&o, "caller,callee,start_time,duration_s,ring_s,direction,type,cell_id,imei,"
                    "imsi,trunk\n");
    int rc = cdrsim_run(s, on_record, &o);
    flush_out(&o);
    *secs = now() - t0;
    *cpu = cpu_now() - c0;
    if ((a->out ? fclose(o.f) : fflush(o.f)) != 0)
        o.failed = true;
    if (rc < 0)
        fprintf(stderr, "gen_cdr: out of memory\n");
    else if (o.failed)
        fprintf(stderr, "gen_cdr: cannot write the records\n");
    return rc || o.failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    cdrsim_opts_init(&a.opts);
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    a.opts.track_victims = a.victims != NULL;
    double t0 = now(), secs = 0, cpu = 0;
    struct cdrsim *s = cdrsim_new(&a.opts);
    if (!s) {
        fprintf(stderr, "gen_cdr: out of memory\n");
        return 1;
    }
    double setup = now() - t0;
    rc = run(s, &a, &secs, &cpu);
    if (!rc && a.labels)
        rc = !write_side(a.labels, "number,label,archetype\n", s, walk_labels);
    if (!rc && a.victims)
        rc = !write_side(a.victims,
                         "resident,fraud_number,archetype,calls,answered,total_talk_s,max_talk_s\n",
                         s, walk_victims);
    if (!rc && a.whitelist)
        rc = !write_side(a.whitelist, NULL, s, walk_white);
    if (a.stats) {
        fprintf(stderr, "gen_cdr: population built in %.2f s\n", setup);
        print_stats(s, &a, secs, cpu);
    }
    cdrsim_free(s);
    return rc;
}
