/*
 * extract internals: what the files of src/extract share (extract.h is the contract).
 *
 * One pass over the normalized text: links.c first finds e-mail addresses and URLs and marks
 * their spans to skip; extract.c then walks the rest once, handing digit runs to runs.c (which
 * splits them into groups and tries IDs, cards, phones, QQ numbers and amounts on them), ASCII
 * words to social.c (WeChat IDs) and Chinese numerals to amounts.c. Cue words are matched by
 * cues.c in a bounded window before (or after) a candidate. All offsets here are byte offsets
 * into the normalized text unless a name says orig.
 */
#ifndef FZ_EXTRACT_INT_H
#define FZ_EXTRACT_INT_H

#include "fangzha/extract.h"

/* ---- cue words ---------------------------------------------------------------------------- */

/* What a cue word says about the number or word that follows it. */
enum fz__cue_kind {
    FZ__CUE_NONE,
    FZ__CUE_PHONE,  /* 电话 客服 热线 call tel ... */
    FZ__CUE_ORDER,  /* 订单号 单号 编号 流水号 order ... : not a phone */
    FZ__CUE_CODE,   /* 验证码 校验码 code ... : not a phone */
    FZ__CUE_AMOUNT, /* ¥ 金额 余额 rmb ... : not a phone */
    FZ__CUE_QQ,     /* qq 扣扣 企鹅 q号 */
    FZ__CUE_WECHAT, /* 微信 vx v信 wx weixin ... */
    FZ__CUE_CARD,   /* 卡号 银行卡 账号 */
    FZ__CUE_ID,     /* 身份证 证件号 */
};

struct fz__cue {
    const char *s; /* normalized form: lower case, simplified, ASCII punctuation */
    uint8_t len;
    uint8_t kind; /* enum fz__cue_kind */
};

/* Bytes looked back from a candidate for a cue, and forward for a code cue. */
#define FZ__CUE_WINDOW 30
#define FZ__CUE_AHEAD 24
/* At most this many bytes between a QQ or WeChat cue and its number or ID. */
#define FZ__SOCIAL_GAP 12

/* The cues indexed by their last byte (for looking back) and the code cues by their first
 * byte (for looking ahead); within a bucket the longest cue comes first. Two bitmaps over
 * byte pairs answer "can a cue end here" and "can a code cue start here" at most positions
 * without touching the buckets. Built once by fz_extractor_new. */
#define FZ__CUE_MAX 240
struct fz__cue_index {
    uint16_t by_last[257];
    uint16_t by_first[257];
    uint8_t last_order[FZ__CUE_MAX];
    uint8_t first_order[FZ__CUE_MAX];
    uint8_t end_pair[8192];   /* bit (b[-2] << 8 | b[-1]) set: some cue ends in these bytes */
    uint8_t start_pair[8192]; /* bit (b[0] << 8 | b[1]) set: some code cue starts so */
};

static inline bool fz__pair_set(const uint8_t *map, unsigned char a, unsigned char b)
{
    unsigned k = (unsigned)a << 8 | b;
    return (map[k >> 3] >> (k & 7)) & 1;
}

struct fz_extractor {
    struct fz_url_ctx *url;
    struct fz__cue_index cues;
};

/* The nearest cue before a position: its kind and normalized span (kind NONE when none). */
struct fz__cue_hit {
    enum fz__cue_kind kind;
    size_t start, end;
};

void fz__extract_cue_index_build(struct fz__cue_index *ix);
const struct fz__cue *fz__extract_cue_table(size_t *n);

/* ---- scan state --------------------------------------------------------------------------- */

/* A growable array of entities in the arena (a larger copy replaces it when full). */
struct fz__vec {
    struct fz_entity *items;
    size_t n, cap;
};

/* A normalized span the main scan jumps over (an e-mail address or a URL). */
struct fz__span {
    size_t start, end;
};

struct fz__extract_state {
    const struct fz_extractor *x;
    const struct fz_text *norm;
    const char *t; /* norm->ptr */
    size_t len;    /* norm->len */
    const char *orig;
    size_t orig_len;
    struct fz_arena *a;
    struct fz__vec vec[FZ_ENT__COUNT];
    struct fz__span *skip; /* sorted, disjoint */
    size_t nskip, skip_cap;
    size_t floor; /* cue lookups never reach before this (the end of the last skipped span) */
};

/* Appends an entity of kind for the normalized span [s, e) with its original offsets and a
 * copy of value[0..vlen); *out (may be NULL) points at it for the caller to fill in further.
 * Returns FZ_ENOMEM; FZ_OK without adding anything when the span does not map into orig. */
fz_rc fz__extract_push(struct fz__extract_state *st, enum fz_entity_kind kind, size_t s, size_t e,
                       const char *value, size_t vlen, struct fz_entity **out);

/* Nearest cue ending at or before s within FZ__CUE_WINDOW bytes, not crossing a digit, a
 * sentence end or st->floor. */
struct fz__cue_hit fz__extract_cue_before(const struct fz__extract_state *st, size_t s);
/* True when a cue ends exactly at s (a letter prefix such as "tel" or "qq" glued to digits). */
bool fz__extract_cue_ends_at(const struct fz__extract_state *st, size_t s);
/* True when a phone, QQ or WeChat cue of letters starts at s, as a word on its right
 * ("13812345678QQ:…", "13812345678wx"). */
bool fz__extract_contact_cue_at(const struct fz__extract_state *st, size_t s);
/* True when a verification-code cue starts within FZ__CUE_AHEAD bytes after e, in the same
 * clause ("123456是您的验证码", not "13812345678，请发验证码"). */
bool fz__extract_code_after(const struct fz__extract_state *st, size_t e);

/* ---- character helpers -------------------------------------------------------------------- */

static inline bool fz__is_digit(char c) { return c >= '0' && c <= '9'; }
static inline bool fz__is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline bool fz__is_alnum(char c) { return fz__is_digit(c) || fz__is_alpha(c); }
static inline char fz__lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* True when the original text has bytes between normalized bytes i and i + 1 that the
 * normalizer removed (separators, zero-width characters, emoji). */
static inline bool fz__extract_gap(const struct fz__extract_state *st, size_t i)
{
    return st->norm->orig_end[i] != st->norm->orig_start[i + 1];
}
/* True when normalized position p is the edge of the text, whitespace or punctuation, in the
 * normalized text or (for removed whitespace) in the original. before: look at p - 1. */
bool fz__extract_edge(const struct fz__extract_state *st, size_t p, bool before);

/* ---- digit runs --------------------------------------------------------------------------- */

/* What separates two groups of digits in a run, from the original bytes between them, in
 * order of how strongly it binds the digits into one number. */
enum fz__sep {
    FZ__SEP_NONE,  /* first group */
    FZ__SEP_OTHER, /* removed padding: zero-width, emoji, other symbols */
    FZ__SEP_SPACE,
    FZ__SEP_DASH,
    FZ__SEP_PAREN, /* (0755)8888 */
    FZ__SEP_DOT,   /* 3.14, 138.1234.5678: never split there */
    FZ__SEP_SLASH, /* 2024/01/02, a/b lists */
    FZ__SEP_LIST,  /* 、 ; and a comma that is not a thousands separator */
    FZ__SEP_COMMA, /* 1,299: thousands; never split there */
    FZ__SEP_COLON, /* 13:45: never split there */
    FZ__SEP_BREAK, /* too much between: not one run */
};

struct fz__group {
    size_t start, end;
    enum fz__sep sep; /* what comes before this group */
};

#define FZ__RUN_GROUPS 24
/* A run of digits in the normalized text, possibly broken by separators: "138 1234 5678",
 * "(+86)138-1234-5678", "2024-01-02 13:45", "1,299.50". */
struct fz__run {
    size_t pre;        /* start with a '+', '(' or "(+" prefix */
    size_t start, end; /* first digit .. after the last digit */
    bool plus;         /* a '+' right before the digits (or inside the prefix) */
    bool x_suffix;     /* an 'x' right after the digits ends the token (ID numbers) */
    size_t ngroups;
    struct fz__group g[FZ__RUN_GROUPS];
};

/* Reads the run of digits starting at normalized position pos (a digit), not past lim. */
void fz__extract_run_scan(const struct fz__extract_state *st, size_t pos, size_t lim,
                          struct fz__run *r);
/* Finds IDs, cards, phones, QQ numbers and amounts in the run; *resume gets the position the
 * scan goes on from (the run's end, or further when an amount took a suffix). */
fz_rc fz__extract_run(struct fz__extract_state *st, const struct fz__run *r, size_t *resume);

/* Digits may be split into separate numbers at this separator. */
static inline bool fz__sep_splits(enum fz__sep s)
{
    return s == FZ__SEP_OTHER || s == FZ__SEP_SPACE || s == FZ__SEP_DASH || s == FZ__SEP_PAREN ||
           s == FZ__SEP_SLASH || s == FZ__SEP_LIST;
}

/* Facts about a candidate span [i, j) of a run's groups, shared by the checks. */
struct fz__cand {
    const struct fz__run *r;
    size_t i, j;            /* groups */
    size_t s, e;            /* normalized span (s includes the prefix when i == 0) */
    char digits[24];        /* NUL-terminated, a '+' first when the prefix had one */
    size_t ndigits;         /* digits only, without the '+' */
    enum fz__sep max_sep;   /* strongest separator inside the span */
    struct fz__cue_hit cue; /* the nearest cue (kind NONE unless i == 0) */
    bool glued_before;      /* part of a letter token on the left */
    bool glued_after;       /* part of a letter token on the right */
    int8_t unit_after;      /* followed by an amount or date unit or %; -1 while not yet
                               looked at (see fz__extract_tail_blocked) */
    int8_t code_after;      /* followed by a code cue in the same clause; -1 likewise */
};

/* True when a span of the candidate's run ending before group j ends the run and what follows
 * rules it out: letters glued on, a unit of money or time, or a code cue
 * ("13812345678是您的验证码") unless a cue before said what the number is ("手机号 138…,
 * 请发验证码", "请拨打95588获取验证码"). What follows is looked at once per run. */
bool fz__extract_tail_blocked(const struct fz__extract_state *st, struct fz__cand *c, size_t j);

/* ---- the entity kinds --------------------------------------------------------------------- */

/* GB 11643 check character ('0'..'9' or 'X') of the 17 digits d. */
char fz__extract_id_check(const char *d);
/* True when d[0..8) is a plausible birth date YYYYMMDD (1900..2099). */
bool fz__extract_ymd_ok(const char *d);
/* True for 17 digits and a check character (digit, 'x' or 'X') forming a valid PRC resident
 * ID number: region first digit 1-8, plausible birth date, MOD 11-2 checksum. */
bool fz__extract_id_valid(const char *s, size_t len);
/* Emits an ID number for the candidate if it is one (*done set). */
fz_rc fz__extract_id(struct fz__extract_state *st, struct fz__cand *c, bool *done);

/* True when the n digits pass the Luhn check. */
bool fz__extract_luhn(const char *d, size_t n);
/* Emits a bank card number for the candidate if it is one (*done set). */
fz_rc fz__extract_card(struct fz__extract_state *st, struct fz__cand *c, bool *done);

/* Emits a phone number (and a WeChat ID after a WeChat cue) for the candidate if it is one
 * (*done set). */
fz_rc fz__extract_phone(struct fz__extract_state *st, struct fz__cand *c, bool *done);
/* True when the candidate reads as a date or time: 20240102, 2024-1-2, 202401021345. */
bool fz__extract_is_date(const struct fz__cand *c);

/* Emits a QQ number for the candidate's run (c->i == 0) when a QQ cue precedes it. */
fz_rc fz__extract_qq(struct fz__extract_state *st, struct fz__cand *c);
/* Looks at the ASCII word starting at pos (a letter), emits it as a WeChat ID when a WeChat
 * cue precedes it, and returns where the scan goes on in *next. */
fz_rc fz__extract_word(struct fz__extract_state *st, size_t pos, size_t lim, size_t *next);

/*
 * Reads an amount of money at normalized position p (a digit, or a Chinese numeral when
 * cn_start). Emits it when a currency prefix or unit makes it money and sets *end past it
 * (suffix included); otherwise *end = p.
 */
fz_rc fz__extract_amount(struct fz__extract_state *st, size_t p, bool cn_start, size_t *end);
/* Reads an amount written in Chinese numerals that ends with the 元, 块 or 圆 at y
 * ("五千元", "两万块"), walking back over the numerals to its start. */
fz_rc fz__extract_cn_amount(struct fz__extract_state *st, size_t y);
/* True when a currency prefix (¥ rmb cny 人民币, then an optional space or colon) ends at p. */
bool fz__extract_money_prefix(const struct fz__extract_state *st, size_t p, size_t *start);
/* True when an amount or date unit, or '%', follows normalized position e. */
bool fz__extract_unit_after(const struct fz__extract_state *st, size_t e);
/* Fen as a decimal yuan string "1299.50" into out (at least 32 bytes); returns the length. */
size_t fz__extract_fen_str(int64_t fen, char *out);
/* The power of ten a Chinese numeral unit stands for (十 1, 百 2, 千 3, 万 4, 亿 8, and the
 * financial forms 拾佰仟), or 0 for any other code point. */
int fz__extract_cn_unit(uint32_t cp);

/* Finds e-mail addresses and URLs, emits them and fills the skip list. */
fz_rc fz__extract_links(struct fz__extract_state *st);

#endif
