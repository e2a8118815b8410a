/*
 * calls/cdr: the call-record reader. CSV with a header that names the columns (any order,
 * unknown ones ignored, RFC 4180 quoting) or JSON Lines, told apart by the first byte. A bad row
 * is reported with its line and field and skipped; a header without a required column is fatal.
 */
#include "compat.h"

#include "calls_int.h"

#include <jansson.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* X(name, column) in the order of the column table. */
#define CDR_COLUMN_MAP(X)                                                                          \
    X(CALLER, "caller")                                                                            \
    X(CALLEE, "callee")                                                                            \
    X(START, "start_time")                                                                         \
    X(DURATION, "duration_s")                                                                      \
    X(RING, "ring_s")                                                                              \
    X(DIRECTION, "direction")                                                                      \
    X(TYPE, "type")                                                                                \
    X(CELL, "cell_id")                                                                             \
    X(IMEI, "imei")                                                                                \
    X(IMSI, "imsi")                                                                                \
    X(TRUNK, "trunk")

enum cdr_column {
#define COL_ENUM(name, id) COL_##name,
    CDR_COLUMN_MAP(COL_ENUM)
#undef COL_ENUM
        COL__COUNT
};
static const char *const column_names[] = {
#define COL_NAME(name, id) id,
    CDR_COLUMN_MAP(COL_NAME)
#undef COL_NAME
};
#define COL_REQUIRED 4 /* caller, callee, start_time, duration_s */
#define CDR_MAX_COLUMNS 64
#define CDR_MAX_DURATION_S (86400 * 2)
#define CDR_MAX_RING_S 3600

struct fz_cdr_reader {
    struct fz_lines lines;
    bool is_json, started;
    size_t header_lines;
    int ncols;
    int8_t col_of[CDR_MAX_COLUMNS]; /* CSV position → enum cdr_column, or -1 */
    struct fz_buf scratch;          /* unquoted CSV fields */
    struct json_t *doc;             /* the JSON line last parsed */
};

fz_rc fz_cdr_reader_new(FILE *f, struct fz_cdr_reader **out)
{
    struct fz_cdr_reader *r = fz_calloc(1, sizeof *r);
    if (!r)
        return FZ_E(FZ_ENOMEM);
    fz_lines_init(&r->lines, f, FZ_CAP_CDR_LINE);
    fz_buf_init(&r->scratch, FZ_CAP_CDR_LINE);
    *out = r;
    return FZ_OK;
}

void fz_cdr_reader_free(struct fz_cdr_reader *r)
{
    if (!r)
        return;
    fz_lines_release(&r->lines);
    fz_buf_release(&r->scratch);
    if (r->doc)
        json_decref(r->doc);
    fz_free(r);
}

bool fz_cdr_reader_has_buffered(const struct fz_cdr_reader *r)
{
    return r->lines.pos < r->lines.end &&
           memchr(r->lines.chunk + r->lines.pos, '\n', r->lines.end - r->lines.pos) != NULL;
}

size_t fz_cdr_reader_lineno(const struct fz_cdr_reader *r) { return r->lines.lineno; }

uint64_t fz_cdr_reader_rows(const struct fz_cdr_reader *r)
{
    return r->lines.lineno > r->header_lines ? r->lines.lineno - r->header_lines : 0;
}

static bool is_blank(struct fz_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] != ' ' && s.ptr[i] != '\t')
            return false;
    return true;
}

static struct fz_str trim(struct fz_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
        s.ptr++, s.len--;
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

/* The next CSV field of line at *pos; quoted fields are unescaped into r->scratch (reserved
 * beforehand so views stay put). false when a quote is not closed. */
static bool csv_field(struct fz_cdr_reader *r, struct fz_str line, size_t *pos, struct fz_str *out)
{
    size_t i = *pos;
    while (i < line.len && line.ptr[i] == ' ')
        i++;
    if (i < line.len && line.ptr[i] == '"') {
        char *dst = r->scratch.ptr + r->scratch.len, *start = dst;
        for (i++;; i++) {
            if (i >= line.len)
                return false;
            if (line.ptr[i] == '"') {
                if (i + 1 < line.len && line.ptr[i + 1] == '"') {
                    *dst++ = '"';
                    i++;
                    continue;
                }
                i++;
                break;
            }
            *dst++ = line.ptr[i];
        }
        r->scratch.len += (size_t)(dst - start);
        r->scratch.ptr[r->scratch.len] = '\0';
        *out = (struct fz_str){start, (size_t)(dst - start)};
        while (i < line.len && line.ptr[i] != ',')
            i++;
    } else {
        const char *comma = memchr(line.ptr + i, ',', line.len - i);
        size_t end = comma ? (size_t)(comma - line.ptr) : line.len;
        *out = trim((struct fz_str){line.ptr + i, end - i});
        i = end;
    }
    *pos = i < line.len ? i + 1 : line.len + 1;
    return true;
}

static fz_rc read_header(struct fz_cdr_reader *r, struct fz_str line, struct fz_err *err)
{
    bool seen[COL__COUNT] = {0};
    size_t pos = 0;
    fz_buf_reset(&r->scratch);
    if (fz_buf_reserve(&r->scratch, line.len + 1) != FZ_OK)
        return FZ_E(FZ_ENOMEM);
    r->ncols = 0;
    while (pos <= line.len) {
        struct fz_str name;
        if (r->ncols == CDR_MAX_COLUMNS)
            return fz_err_setloc(err, FZ_EINVAL, r->lines.lineno, "", "more than %d columns",
                                 CDR_MAX_COLUMNS);
        if (!csv_field(r, line, &pos, &name))
            return fz_err_setloc(err, FZ_EINVAL, r->lines.lineno, "", "unclosed quote in header");
        int col = -1;
        for (int c = 0; c < COL__COUNT; c++)
            if (name.len == strlen(column_names[c]) && !memcmp(name.ptr, column_names[c], name.len))
                col = c;
        if (col >= 0 && seen[col])
            return fz_err_setloc(err, FZ_EINVAL, r->lines.lineno, column_names[col],
                                 "column '%s' named twice", column_names[col]);
        if (col >= 0)
            seen[col] = true;
        r->col_of[r->ncols++] = (int8_t)col;
    }
    for (int c = 0; c < COL_REQUIRED; c++)
        if (!seen[c])
            return fz_err_setloc(err, FZ_EINVAL, r->lines.lineno, column_names[c],
                                 "the header lacks the required column '%s' (docs/cdr.md)",
                                 column_names[c]);
    r->header_lines = r->lines.lineno;
    return FZ_OK;
}

static fz_rc bad(struct fz_cdr_reader *r, int col, struct fz_err *err, const char *why,
                 struct fz_str v)
{
    int shown = v.len > 40 ? 40 : (int)v.len;
    return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, column_names[col], "%s '%.*s'%s", why,
                         shown, v.ptr, v.len > 40 ? "..." : "");
}

static bool str_is(struct fz_str s, const char *lit)
{
    return s.len == strlen(lit) && !memcmp(s.ptr, lit, s.len);
}

/* A cell's id as a non-zero 32-bit key: a number of up to 9 digits without a leading zero as
 * itself ("0123" and "123" stay apart), else a hash. */
static uint32_t cell_key(struct fz_str v)
{
    if (!v.len)
        return 0;
    if (v.ptr[0] == '0' && v.len > 1)
        return (uint32_t)fz_hash(v.ptr, v.len) | 1u;
    uint32_t n = 0;
    size_t i = 0;
    for (; i < v.len && i < 9 && (unsigned char)(v.ptr[i] - '0') < 10; i++)
        n = n * 10 + (uint32_t)(v.ptr[i] - '0');
    return i == v.len ? n << 1 | 1u : (uint32_t)fz_hash(v.ptr, v.len) | 1u;
}

/* Stores field v of column col into *cdr. */
static fz_rc set_field(struct fz_cdr_reader *r, int col, struct fz_str v, struct fz_cdr *cdr,
                       struct fz_err *err)
{
    int64_t n;
    switch ((enum cdr_column)col) {
    case COL_CALLER: cdr->caller = v; break;
    case COL_CALLEE: cdr->callee = v; break;
    case COL_START:
        if (!fz_cdr_parse_time(v.ptr, v.len, &cdr->start))
            return bad(r, col, err, "not epoch seconds nor an ISO 8601 time:", v);
        break;
    case COL_DURATION:
        if (!fz_str_to_uint(v, 18, &n) || n > CDR_MAX_DURATION_S)
            return bad(r, col, err, "not a whole number of seconds from 0 to 172800:", v);
        cdr->duration_s = (int32_t)n;
        break;
    case COL_RING:
        if (v.len == 0)
            break;
        if (!fz_str_to_uint(v, 18, &n) || n > CDR_MAX_RING_S)
            return bad(r, col, err, "not a whole number of seconds from 0 to 3600:", v);
        cdr->ring_s = (int32_t)n;
        break;
    case COL_DIRECTION:
        if (str_is(v, "in") || str_is(v, "incoming") || str_is(v, "mt"))
            cdr->is_incoming = true;
        else if (v.len && !str_is(v, "out") && !str_is(v, "outgoing") && !str_is(v, "mo"))
            return bad(r, col, err, "not 'in' or 'out':", v);
        break;
    case COL_TYPE:
        if (str_is(v, "sms"))
            cdr->is_sms = true;
        else if (v.len && !str_is(v, "voice"))
            return bad(r, col, err, "not 'voice' or 'sms':", v);
        break;
    case COL_CELL: cdr->cell_id = cell_key(v); break;
    case COL_IMEI: cdr->imei = v; break;
    case COL_IMSI: cdr->imsi = v; break;
    case COL_TRUNK:
        if (str_is(v, "international"))
            cdr->is_international = true;
        else if (v.len && !str_is(v, "domestic"))
            return bad(r, col, err, "not 'domestic' or 'international':", v);
        break;
    default: break;
    }
    return FZ_OK;
}

/* An assignment, not memset: the compiler writes the 96 bytes with a few vector stores; memset
 * became a string instruction that took a seventh of the reader's profile samples. */
static void cdr_clear(struct fz_cdr *cdr)
{
    *cdr = (struct fz_cdr){.start = -1, .duration_s = -1, .ring_s = -1};
}

static fz_rc check_required(struct fz_cdr_reader *r, const struct fz_cdr *cdr, struct fz_err *err)
{
    static const struct fz_str none = {"", 0};
    if (!cdr->caller.len)
        return bad(r, COL_CALLER, err, "missing caller", none);
    if (!cdr->callee.len)
        return bad(r, COL_CALLEE, err, "missing callee", none);
    if (cdr->start < 0)
        return bad(r, COL_START, err, "missing start time", none);
    if (cdr->duration_s < 0)
        return bad(r, COL_DURATION, err, "missing duration", none);
    return FZ_OK;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

/* Bit i of the result is set when p[i] is a comma, for the 16 bytes at p (all readable). */
static inline uint32_t commas16(const char *p)
{
#if defined(__SSE2__)
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    return (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')));
#else
    uint32_t m = 0;
    for (int i = 0; i < 16; i++)
        m |= (uint32_t)(p[i] == ',') << i;
    return m;
#endif
}

/* A line without quotes (most are): the fields are what lies between commas, found 16 bytes at
 * a time. */
static fz_rc csv_row_plain(struct fz_cdr_reader *r, struct fz_str line, struct fz_cdr *cdr,
                           struct fz_err *err)
{
    size_t start = 0, base = 0;
    int i = 0;
    for (;;) {
        uint32_t mask = 0;
        if (base + 16 <= line.len)
            mask = commas16(line.ptr + base);
        else
            for (size_t k = base; k < line.len; k++)
                mask |= (uint32_t)(line.ptr[k] == ',') << (k - base);
        bool last_chunk = base + 16 >= line.len;
        while (mask || last_chunk) {
            size_t end = mask ? base + (size_t)__builtin_ctz(mask) : line.len;
            if (i == r->ncols)
                return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, "",
                                     "more fields than the header's %d columns", r->ncols);
            int col = r->col_of[i++];
            if (col >= 0) {
                struct fz_str v = {line.ptr + start, end - start};
                if (v.len && (is_space(v.ptr[0]) || is_space(v.ptr[v.len - 1])))
                    v = trim(v);
                fz_rc rc = set_field(r, col, v, cdr, err);
                if (rc != FZ_OK)
                    return rc;
            }
            start = end + 1;
            if (!mask)
                goto done;
            mask &= mask - 1;
        }
        base += 16;
    }
done:
    if (i < r->ncols)
        return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, "",
                             "%d fields where the header has %d columns", i, r->ncols);
    return check_required(r, cdr, err);
}

static fz_rc csv_row(struct fz_cdr_reader *r, struct fz_str line, struct fz_cdr *cdr,
                     struct fz_err *err)
{
    if (!memchr(line.ptr, '"', line.len))
        return csv_row_plain(r, line, cdr, err);
    size_t pos = 0;
    int i = 0;
    fz_buf_reset(&r->scratch);
    if (fz_buf_reserve(&r->scratch, line.len + 1) != FZ_OK)
        return FZ_E(FZ_ENOMEM);
    for (; pos <= line.len; i++) {
        struct fz_str v;
        if (i == r->ncols)
            return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, "",
                                 "more fields than the header's %d columns", r->ncols);
        if (!csv_field(r, line, &pos, &v))
            return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno,
                                 r->col_of[i] >= 0 ? column_names[r->col_of[i]] : "",
                                 "unclosed quote");
        fz_rc rc = r->col_of[i] >= 0 ? set_field(r, r->col_of[i], v, cdr, err) : FZ_OK;
        if (rc != FZ_OK)
            return rc;
    }
    if (i < r->ncols)
        return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, "",
                             "%d fields where the header has %d columns", i, r->ncols);
    return check_required(r, cdr, err);
}

/* A JSON value as the text of a column: strings as they are, integers printed into scratch. */
static bool json_text(struct fz_cdr_reader *r, json_t *v, struct fz_str *out)
{
    if (json_is_string(v)) {
        *out = (struct fz_str){json_string_value(v), json_string_length(v)};
        return true;
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0) {
        char *dst = r->scratch.ptr + r->scratch.len;
        int n = snprintf(dst, 24, "%lld", (long long)json_integer_value(v));
        r->scratch.len += (size_t)n + 1;
        r->scratch.ptr[r->scratch.len] = '\0';
        *out = (struct fz_str){dst, (size_t)n};
        return true;
    }
    if (json_is_null(v)) {
        *out = (struct fz_str){"", 0};
        return true;
    }
    return false;
}

static fz_rc json_row(struct fz_cdr_reader *r, struct fz_str line, struct fz_cdr *cdr,
                      struct fz_err *err)
{
    if (r->doc)
        json_decref(r->doc);
    r->doc = NULL;
    struct fz_err jerr;
    if (fz_json_parse(line.ptr, line.len, &r->doc, &jerr) != FZ_OK)
        return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, "", "%s", jerr.msg);
    if (!json_is_object(r->doc))
        return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, "", "not a JSON object");
    fz_buf_reset(&r->scratch);
    if (fz_buf_reserve(&r->scratch, 24 * COL__COUNT) != FZ_OK)
        return FZ_E(FZ_ENOMEM);
    for (int c = 0; c < COL__COUNT; c++) {
        json_t *v = json_object_get(r->doc, column_names[c]);
        struct fz_str s;
        if (!v)
            continue;
        if (!json_text(r, v, &s))
            return fz_err_setloc(err, FZ_EPARSE, r->lines.lineno, column_names[c],
                                 "not a string or a non-negative integer");
        fz_rc rc = set_field(r, c, s, cdr, err);
        if (rc != FZ_OK)
            return rc;
    }
    return check_required(r, cdr, err);
}

fz_rc fz_cdr_reader_next(struct fz_cdr_reader *r, struct fz_cdr *cdr, struct fz_err *err)
{
    for (;;) {
        struct fz_str line;
        fz_rc rc = fz_lines_next(&r->lines, &line, err);
        if (rc != FZ_OK)
            return rc;
        if (!line.len || (is_space(line.ptr[0]) && is_blank(line)))
            continue;
        if (!r->started) {
            r->started = true;
            r->is_json = trim(line).ptr[0] == '{';
            if (!r->is_json) {
                if ((rc = read_header(r, line, err)) != FZ_OK)
                    return rc;
                continue;
            }
        }
        cdr_clear(cdr);
        return r->is_json ? json_row(r, line, cdr, err) : csv_row(r, line, cdr, err);
    }
}
