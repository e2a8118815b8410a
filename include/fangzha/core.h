/*
 * fangzha core: the base layer every other module stands on.
 *
 * Error codes (one table, FZ_RC_MAP), readable errors with a location (struct fz_err),
 * the allocator hook, arenas, length-carrying strings, capped growable buffers, a hash map,
 * logging through a host callback, a JSON writer, a JSON reader (jansson) and the line and
 * TSV readers for the canonical dataset layout. Nothing here knows about fraud.
 */
#ifndef FANGZHA_CORE_H
#define FANGZHA_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

#if defined(__GNUC__) || defined(__clang__)
#define FZ_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define FZ_PRINTF(fmt, args)
#endif

/* ---- errors ------------------------------------------------------------------------------- */

/* X(name, stable code used in JSON error bodies, message). New codes go last; none is ever
 * renumbered or removed. */
#define FZ_RC_MAP(X)                                                                               \
    X(OK, "ok", "success")                                                                         \
    X(ENOMEM, "no_memory", "out of memory")                                                        \
    X(EINVAL, "invalid", "invalid argument")                                                       \
    X(ETOOBIG, "too_big", "input exceeds its limit")                                               \
    X(ENOTFOUND, "not_found", "no such object")                                                    \
    X(EIO, "io_error", "input/output error")                                                       \
    X(EPARSE, "parse_error", "malformed input")                                                    \
    X(EOF, "end_of_input", "end of input")                                                         \
    X(EUTF8, "bad_utf8", "invalid UTF-8")                                                          \
    X(EUNAUTH, "unauthenticated", "authentication required")                                       \
    X(EFORBIDDEN, "forbidden", "not allowed for this account")                                     \
    X(ECONFLICT, "conflict", "conflicts with the current state")                                   \
    X(ERATE, "rate_limited", "too many requests")                                                  \
    X(EBUSY, "unavailable", "temporarily unavailable")

enum fz_rc {
#define FZ__RC_ENUM(name, code, msg) FZ_##name,
    FZ_RC_MAP(FZ__RC_ENUM)
#undef FZ__RC_ENUM
        FZ__RC_COUNT
};
typedef enum fz_rc fz_rc;

/* The stable code of rc ("invalid", "too_big", ...); "unknown" for a value outside the table. */
const char *fz_rc_name(fz_rc rc);
/* A short English description of rc. */
const char *fz_strerror(fz_rc rc);

/*
 * A readable error for callers that need to tell a human what went wrong (imports, config,
 * request validation). Passed as the optional last parameter of such functions; may be NULL.
 * Functions leave it untouched on success. line and field are 0 / "" when they do not apply.
 */
struct fz_err {
    fz_rc code;
    size_t line;    /* 1-based input line, 0 if none */
    char field[32]; /* name of the offending field or column, "" if none */
    char msg[256];  /* lower case, no final full stop, personal data masked */
};

/* Sets err (when not NULL) to code and a formatted message; returns code, so callers can
 * write `return fz_err_set(err, FZ_EINVAL, "bad phone number '%s'", s);`. */
fz_rc fz_err_set(struct fz_err *err, fz_rc code, const char *fmt, ...) FZ_PRINTF(3, 4);
/* Like fz_err_set, also recording the line and field where the error was found. */
fz_rc fz_err_setloc(struct fz_err *err, fz_rc code, size_t line, const char *field, const char *fmt,
                    ...) FZ_PRINTF(5, 6);

#ifndef NDEBUG
fz_rc fz__err_trace(fz_rc rc, const char *file, int line);
/* FZ_E(rc) evaluates to rc; in debug builds it also logs where the error was first raised. */
#define FZ_E(rc) fz__err_trace((rc), __FILE__, __LINE__)
#else
#define FZ_E(rc) (rc)
#endif

/* Aborts with a message even in release builds: for states that cannot happen. */
#define FZ_BUG(msg) fz__bug(__FILE__, __LINE__, (msg))
void fz__bug(const char *file, int line, const char *msg);
/* if (FZ_NEVER(x)): "cannot happen, but survive it". */
#define FZ_NEVER(x) __builtin_expect(!!(x), 0)

/* ---- memory ------------------------------------------------------------------------------- */

/* A replacement allocator. realloc(ud, NULL, n) allocates; free(ud, NULL) is a no-op. */
struct fz_allocator {
    void *(*malloc)(void *ud, size_t n);
    void *(*realloc)(void *ud, void *p, size_t n);
    void (*free)(void *ud, void *p);
    void *ud;
};

/* Routes every fz_malloc/fz_realloc/fz_free through a. NULL restores the C library allocator.
 * Call before any other fangzha function; not thread-safe against concurrent allocation. */
void fz_set_allocator(const struct fz_allocator *a);

/* Allocation through the hook. They return NULL on failure (never abort); fz_free(NULL) is a
 * no-op. fz_mallocarray returns NULL when nmemb * size overflows. */
void *fz_malloc(size_t n);
void *fz_calloc(size_t nmemb, size_t size);
void *fz_mallocarray(size_t nmemb, size_t size);
void *fz_realloc(void *p, size_t n);
void fz_free(void *p);
/* A NUL-terminated copy of len bytes at s, freed with fz_free; NULL on failure. */
char *fz_strndup(const char *s, size_t len);

/*
 * An arena: request-scoped memory freed in one call. Allocations are 16-byte aligned and live
 * until fz_arena_release() or fz_arena_reset(). Cleanups registered with fz_arena_defer() run,
 * last registered first, when the arena is reset or released.
 */
struct fz_arena_chunk;
struct fz_arena_defer;
struct fz_arena {
    struct fz_arena_chunk *head;
    struct fz_arena_defer *defers;
    size_t chunk_size; /* bytes per ordinary chunk */
    size_t used;       /* bytes handed out since the last reset, for statistics */
};

/* Sets up a caller-owned arena; chunk_size 0 picks a default. Allocates nothing yet. */
void fz_arena_init(struct fz_arena *a, size_t chunk_size);
/* Returns n bytes (n may be 0) or NULL when out of memory. */
void *fz_arena_alloc(struct fz_arena *a, size_t n);
/* Zeroed nmemb*size bytes; NULL when out of memory or on overflow. */
void *fz_arena_calloc(struct fz_arena *a, size_t nmemb, size_t size);
/* A NUL-terminated copy of s[0..len) in the arena, or NULL. */
char *fz_arena_strndup(struct fz_arena *a, const char *s, size_t len);
/* Registers fn(p) to run on reset/release. Returns FZ_ENOMEM (and runs nothing) on failure. */
fz_rc fz_arena_defer(struct fz_arena *a, void (*fn)(void *), void *p);
/* Runs the cleanups and frees all but the first chunk, which is kept for reuse. */
void fz_arena_reset(struct fz_arena *a);
/* Runs the cleanups and frees everything; the arena may be initialised again. NULL is fine. */
void fz_arena_release(struct fz_arena *a);

/* ---- strings and buffers ------------------------------------------------------------------ */

/* A view of bytes that are not necessarily NUL-terminated. */
struct fz_str {
    const char *ptr;
    size_t len;
};
#define FZ_STR_LIT(s) ((struct fz_str){(s), sizeof(s) - 1})
/* s as a decimal number of 1 to max_digits (<= 18) digits, nothing else (no sign, no spaces).
 * false otherwise, *out untouched. */
bool fz_str_to_uint(struct fz_str s, size_t max_digits, int64_t *out);

/* Caps, named for their use. Going over one returns FZ_ETOOBIG. */
#define FZ_CAP_LINE ((size_t)1 << 20)      /* one input line of a batch command: 1 MiB */
#define FZ_CAP_SMS_TEXT ((size_t)1 << 20)  /* one message to normalize or extract from */
#define FZ_CAP_JSON_DOC ((size_t)16 << 20) /* one JSON document read whole */

/*
 * A growable byte buffer with a hard cap. Invariant: ptr is NULL (nothing allocated yet) or
 * ptr[len] == '\0' and len < cap <= max + 1. Appends that would make len exceed max fail with
 * FZ_ETOOBIG and leave the buffer as it was.
 */
struct fz_buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max;
};

void fz_buf_init(struct fz_buf *b, size_t max);
void fz_buf_release(struct fz_buf *b);
/* Empties the buffer but keeps its memory. */
void fz_buf_reset(struct fz_buf *b);
/* Makes room for n more bytes. */
fz_rc fz_buf_reserve(struct fz_buf *b, size_t n);
fz_rc fz_buf_add(struct fz_buf *b, const void *p, size_t n);
fz_rc fz_buf_addc(struct fz_buf *b, char c);
fz_rc fz_buf_adds(struct fz_buf *b, const char *s);
fz_rc fz_buf_addf(struct fz_buf *b, const char *fmt, ...) FZ_PRINTF(2, 3);
/* Appends everything f has left. FZ_ETOOBIG when it would pass b's cap (b then holds what
 * fitted), FZ_EIO on a read error, FZ_ENOMEM. */
fz_rc fz_buf_read(struct fz_buf *b, FILE *f);
/* Hands the contents to the caller (free with fz_free) and re-initialises b with the same
 * max. Returns NULL if nothing was ever added. */
char *fz_buf_detach(struct fz_buf *b, size_t *len);

/* ---- UTF-8 -------------------------------------------------------------------------------- */

#define FZ_UTF8_REPLACEMENT 0xFFFDu

/* Decodes one code point at *p (p < end) and advances *p past it. On invalid or truncated
 * input, stores U+FFFD, advances by one byte (the maximal subpart rule of Unicode 3.9 is not
 * needed here: one byte at a time keeps offsets simple) and returns false. */
bool fz_utf8_decode(const char **p, const char *end, uint32_t *cp);
/* Writes cp (<= 0x10FFFF, not a surrogate) as UTF-8 into out[4]; returns the byte count, or 0
 * for a value that is not a Unicode scalar. */
size_t fz_utf8_encode(uint32_t cp, char out[4]);
/* True when s[0..len) is valid UTF-8. */
bool fz_utf8_valid(const char *s, size_t len);

/* ---- hashing and the hash map ------------------------------------------------------------ */

/* 64-bit hash of bytes (xxHash XXH3), stable across runs and machines. */
uint64_t fz_hash(const void *p, size_t len);
uint64_t fz_hash_seed(const void *p, size_t len, uint64_t seed);

/*
 * An open-addressing hash map from byte-string keys to void * values. Keys are copied into
 * the map; values are the caller's. Not thread-safe for writers; concurrent readers are fine
 * when nobody writes.
 */
struct fz_map_slot;
struct fz_map {
    struct fz_map_slot *slots;
    size_t cap;   /* slot count, a power of two, or 0 */
    size_t count; /* live entries */
};

void fz_map_init(struct fz_map *m);
/* Frees the keys and slots; values are left to the caller. NULL is fine. */
void fz_map_release(struct fz_map *m);
/* Inserts or replaces. On replace, *old (if not NULL) gets the previous value, else NULL. */
fz_rc fz_map_put(struct fz_map *m, const void *key, size_t klen, void *val, void **old);
/* The value for key, or NULL (store non-NULL values to tell "absent" apart). */
void *fz_map_get(const struct fz_map *m, const void *key, size_t klen);
/* Removes key; returns its value or NULL when absent. */
void *fz_map_del(struct fz_map *m, const void *key, size_t klen);
/* Iterates: start with *it = 0; returns false at the end. Key and value pointers may be NULL. */
bool fz_map_next(const struct fz_map *m, size_t *it, struct fz_str *key, void **val);

/* ---- logging ------------------------------------------------------------------------------ */

enum fz_log_level { FZ_LOG_ERROR, FZ_LOG_WARN, FZ_LOG_INFO, FZ_LOG_DEBUG };

/* The host's log sink. module is a short name ("text", "url", ...). The message has no
 * trailing newline. */
typedef void fz_log_cb(void *ud, enum fz_log_level level, const char *module, const char *msg);

/* Installs the sink (NULL discards everything) and the most verbose level that is passed on. */
void fz_log_set(fz_log_cb *cb, void *ud, enum fz_log_level max_level);
/* Enables debug output per module: "url,phone", "all", "all,-text". Unknown names are kept
 * (modules register lazily). Returns FZ_ETOOBIG for a spec over 255 bytes. */
fz_rc fz_log_set_debug(const char *spec);
bool fz_log_enabled(enum fz_log_level level, const char *module);
void fz_log_write(enum fz_log_level level, const char *module, const char *fmt, ...)
    FZ_PRINTF(3, 4);

/* Each .c file that logs says FZ_LOG_MODULE(name) once, then uses fz_log(level, fmt, ...).
 * Arguments are not evaluated when the level is off. */
#define FZ_LOG_MODULE(name) __attribute__((unused)) static const char fz__log_module[] = #name
#define fz_log(level, ...)                                                                         \
    do {                                                                                           \
        if (fz_log_enabled((level), fz__log_module))                                               \
            fz_log_write((level), fz__log_module, __VA_ARGS__);                                    \
    } while (0)

/* ---- JSON writer --------------------------------------------------------------------------- */

/*
 * Writes JSON into a buffer, inserting commas and escaping strings (invalid UTF-8 in strings
 * becomes U+FFFD, so the output is always valid JSON). Calls after the first error are
 * no-ops and the error is kept in rc, so a whole object can be written and checked once.
 */
#define FZ_JSON_MAX_DEPTH 32
struct fz_json {
    struct fz_buf *out;
    fz_rc rc;
    int depth;
    bool need_comma[FZ_JSON_MAX_DEPTH];
    bool after_key;
};

void fz_json_init(struct fz_json *j, struct fz_buf *out);
void fz_json_obj(struct fz_json *j);     /* { */
void fz_json_obj_end(struct fz_json *j); /* } */
void fz_json_arr(struct fz_json *j);     /* [ */
void fz_json_arr_end(struct fz_json *j); /* ] */
/* An object key: the program's own printable ASCII name without '"' or '\\', written as it
 * is. fz_json_key is a macro so that the length of a literal is known when compiling. */
void fz_json_key_n(struct fz_json *j, const char *key, size_t n);
#define fz_json_key(j, key) fz_json_key_n((j), (key), strlen(key))
void fz_json_str(struct fz_json *j, const char *s, size_t len);
void fz_json_cstr(struct fz_json *j, const char *s); /* NULL writes null */
void fz_json_int(struct fz_json *j, int64_t v);
void fz_json_uint(struct fz_json *j, uint64_t v);
/* A finite double with up to `decimals` digits after the point (trailing zeros trimmed). */
void fz_json_num(struct fz_json *j, double v, int decimals);
void fz_json_bool(struct fz_json *j, bool v);
void fz_json_null(struct fz_json *j);
/* JSON text the caller has already written: a value ("[]"), or inside an object one or more
 * whole members ("\"a\":[],\"b\":1"). Copied as it is, after a comma when one is due. */
void fz_json_raw(struct fz_json *j, const char *json, size_t n);
/* "flags": [...] with name(bit) for each bit set in flags, lowest first. */
void fz_json_flags(struct fz_json *j, uint32_t flags, const char *(*name)(uint32_t));
/* The members every reason object has: key ("rule" or "signal") with code, "weight",
 * "description_zh" and "description_en". */
void fz_json_reason_fields(struct fz_json *j, const char *key, const char *code, int weight,
                           const char *zh, const char *en);
struct fz_reason;
/* "reasons": [...] of a signal: one object per reason, keyed "signal". */
void fz_json_reasons(struct fz_json *j, const struct fz_reason *const *reasons, int n);

/* ---- JSON reader (jansson) ---------------------------------------------------------------- */

struct json_t;
/* Parses one JSON document of len bytes (at most FZ_CAP_JSON_DOC). On success *out holds a new
 * reference (release with json_decref); on failure *out is untouched and err says where. */
fz_rc fz_json_parse(const char *s, size_t len, struct json_t **out, struct fz_err *err);

/* ---- line and TSV readers ----------------------------------------------------------------- */

/*
 * Reads lines of at most `max` bytes from a FILE. A longer line is skipped whole (never
 * truncated) and reported as FZ_ETOOBIG with its line number; the next call goes on with the
 * line after it. The trailing "\n" (and "\r\n") is removed. The returned view stays valid until
 * the next call. Reads with read(2) on the FILE's descriptor when it has one, so a line of a
 * slow stream (a pipe that never ends) is returned as soon as it is complete; do not mix with
 * other reads of the same FILE.
 */
struct fz_lines {
    FILE *f;
    struct fz_buf buf; /* a line that spans two reads is assembled here */
    char *chunk;       /* what was read and not yet returned: chunk[pos..end) */
    size_t pos, end;
    size_t lineno; /* number of the line last returned (1-based) */
    size_t max;
    bool eof;
};

void fz_lines_init(struct fz_lines *r, FILE *f, size_t max);
void fz_lines_release(struct fz_lines *r);
/* FZ_OK with *line set; FZ_EOF at the end; FZ_ETOOBIG for an over-long line (skipped);
 * FZ_EIO on a read error; FZ_ENOMEM. err gets the line number and reason. */
fz_rc fz_lines_next(struct fz_lines *r, struct fz_str *line, struct fz_err *err);

/*
 * The canonical TSV layout (shared/data/canonical/README.md): UTF-8, a header line, fields
 * separated by tabs, with \\ \t \n \r escaped inside fields. fz_tsv reads the header, then
 * yields rows whose fields are unescaped.
 */
#define FZ_TSV_MAX_COLS 64
struct fz_tsv {
    struct fz_lines lines;
    struct fz_buf row; /* unescaped fields of the current row, NUL-separated */
    size_t ncols;
    char *header[FZ_TSV_MAX_COLS];
    struct fz_str field[FZ_TSV_MAX_COLS];
};

/* Reads the header line. FZ_EPARSE for a missing or empty header or too many columns. */
fz_rc fz_tsv_open(struct fz_tsv *t, FILE *f, size_t max_line, struct fz_err *err);
void fz_tsv_release(struct fz_tsv *t);
/* Index of the column named name, or -1. */
int fz_tsv_col(const struct fz_tsv *t, const char *name);
/* Next row into t->field[0..ncols). FZ_EOF at the end. A row with the wrong number of fields
 * or a bad escape is FZ_EPARSE (with line and column in err) and is skipped; reading may go
 * on. */
fz_rc fz_tsv_next(struct fz_tsv *t, struct fz_err *err);
/* Unescapes one field in place of the canonical layout into out (appends). FZ_EPARSE on an
 * unknown escape or a trailing backslash. */
fz_rc fz_tsv_unescape(const char *s, size_t len, struct fz_buf *out, struct fz_err *err);

/* ---- reasons ------------------------------------------------------------------------------ */

/* One reason behind a signal's risk: a stable code, a weight, and text in Chinese and English.
 * Reasons live in static storage and are never freed. */
struct fz_reason {
    const char *code; /* "phone.mvno", "url.lookalike", ... */
    int weight;       /* points added to the risk */
    const char *zh;
    const char *en;
};

/* ---- fraud types -------------------------------------------------------------------------- */

/* The fraud types of the public-security classification (DESIGN.md), with stable ids in the
 * order of shared/data/canonical/README.md: order_brushing, fake_investment, fake_loan,
 * fake_customer_service, impersonate_authority, fake_credit_repair, game_trading, romance,
 * impersonate_acquaintance, impersonate_military_purchase, phishing, other_fraud. */
#define FZ_FRAUD_TYPE_COUNT 12

/* The id of fraud type t, or NULL when t is out of range. The string is static. */
const char *fz_fraud_type_name(int t);
/* The index of the fraud type named name[0..len), or -1. */
int fz_fraud_type_index(const char *name, size_t len);

/* ---- personal data ------------------------------------------------------------------------ */

/* Writes a masked form of a phone-like or ID-like string into out (cap bytes, NUL-terminated):
 * the first 3 and last 4 characters kept, the middle as '*' (138****5678). Short strings are
 * masked whole. Returns out. */
char *fz_mask(const char *s, size_t len, char *out, size_t cap);

#endif
