/*
 * url internals shared by find.c (the finder), analyze.c (context and analyzer) and
 * lookalike.c (the brand index and lookalike matching). Not API: nothing outside src/url and
 * its unit tests includes this file.
 */
#ifndef FZ_URL_INT_H
#define FZ_URL_INT_H

#include "fangzha/url.h"

#include <libpsl.h>

/* ---- lists built into the library (generated url_lists.c, from data/url/NAME.txt) ---- */

extern const unsigned char fz__url_brands_txt[];
extern const size_t fz__url_brands_len;
extern const unsigned char fz__url_shorteners_txt[];
extern const size_t fz__url_shorteners_len;
extern const unsigned char fz__url_risky_tlds_txt[];
extern const size_t fz__url_risky_tlds_len;

/* Longest host name we accept (RFC 1035: 253 characters without the final dot). */
#define FZ__URL_HOST_MAX 253
/* Longest label; also the longest brand name. */
#define FZ__URL_LABEL_MAX 63

/* The public suffix list the finder and analyzer share: psl_builtin() (compiled into libpsl),
 * NULL when this libpsl was built without one. */
const psl_ctx_t *fz__url_psl(void);
/* True when the lower-case NUL-terminated tld is a suffix of the public suffix list (ICANN or
 * private section), not only by the implicit "*" rule. Without a list: any label of 2-63
 * letters. */
bool fz__url_known_suffix(const psl_ctx_t *psl, const char *tld);

/* ---- the brand index (lookalike.c) ------------------------------------------------------ */

/* Brand flags, from the 4th column of brands.txt. */
enum {
    FZ__URL_BRAND_NOTYPO = 1u << 0,  /* an ordinary word: no edit-distance match */
    FZ__URL_BRAND_NOAFFIX = 1u << 1, /* common inside other names: no brand+affix match */
};

/* One line of brands.txt. Strings point into the index's copy of the list. */
struct fz__url_brand {
    const char *domain; /* as listed, lower case */
    const char *reg;    /* its registrable domain */
    size_t reg_len;
    const char *key; /* brand id; brands with one key are one brand */
    const char *category;
    unsigned flags;
    const struct fz__url_brand *primary;    /* the first line with this key */
    const struct fz__url_brand *next_embed; /* next brand whose reg has the same first label */
};

/* A brand name: the label a lookalike imitates (icbc, paypal, 10086). */
struct fz__url_tok {
    const char *s;
    size_t len;
    const struct fz__url_brand *brand; /* first brand with this name (its primary is reported) */
    const struct fz__url_brand *embed; /* brands whose reg starts with this label, or NULL */
    uint64_t charset;                  /* bit per character, to filter edit-distance checks */
    bool is_short;                     /* <= 3 characters or all digits */
    bool is_affix;                     /* also an affix word (vip, pay): never a brand part */
    unsigned flags;
};

/* A node of the trie over brand names and affix words (first child, next sibling). */
struct fz__url_trie {
    uint32_t child;   /* 0 = none (node 0 is the root, never a child) */
    uint32_t sibling; /* 0 = none */
    uint32_t tok;     /* index + 1 of the brand name ending here, or 0 */
    char c;
    bool affix; /* an affix word ends here */
};

struct fz__url_brands {
    char *text; /* owned copy of the list; brand strings point into it */
    struct fz__url_brand *brand;
    size_t nbrand;
    struct fz__url_tok *tok;
    size_t ntok;
    struct fz_map tok_map;                   /* name -> struct fz__url_tok */
    struct fz_map skel_map;                  /* skeleton of a name -> struct fz__url_tok */
    struct fz_map legit_map;                 /* registrable domain -> struct fz__url_brand */
    struct fz__url_tok **by_len;             /* names open to typo matching, by length */
    size_t len_start[FZ__URL_LABEL_MAX + 2]; /* by_len[len_start[n] .. len_start[n+1]) */
    struct fz__url_trie *trie;               /* node 0 is the root */
    size_t ntrie, trie_cap;
    uint32_t root[38]; /* the root's child for each character (see trie_sym) */
};

/* How a host imitates a brand, strongest first. */
enum fz__url_look_kind {
    FZ__URL_LOOK_NONE,
    FZ__URL_LOOK_EMBED,     /* brand domain inside the host: www.icbc.com.cn.verify.xyz */
    FZ__URL_LOOK_HOMOGRAPH, /* punycode label whose letters look like the brand */
    FZ__URL_LOOK_SWAP,      /* digit/letter swaps: paypa1, lcbc, rnicrosoft */
    FZ__URL_LOOK_OTHER_TLD, /* the brand's name under another suffix: icbc.cc */
    FZ__URL_LOOK_AFFIX,     /* name plus affix words: icbc-vip, icbcbank, ccb-95533 */
    FZ__URL_LOOK_TYPO,      /* one or two edits off: icbcc, paypall */
    FZ__URL_LOOK_SUBLABEL,  /* the brand's name as a subdomain label: paypal.verylegit.link */
};

struct fz__url_look {
    enum fz__url_look_kind kind;
    const char *domain; /* the brand domain imitated (in the index), NULL for none */
};

/* Builds the index from a brands.txt text of len bytes. FZ_EPARSE (with line) for a line
 * without three fields or with an unknown flag, FZ_ENOMEM. On error b is released. */
fz_rc fz__url_brands_init(struct fz__url_brands *b, const psl_ctx_t *psl, const char *txt,
                          size_t len, struct fz_err *err);
void fz__url_brands_release(struct fz__url_brands *b);

/* Judges host[0..hlen) (lower case, A-labels) whose registrable domain starts at host + reg_off.
 * same_ok: a brand's exact name under this host's suffix is not a lookalike (the caller sets it
 * for country-code suffixes fraud does not favour: google.be, yahoo.co.jp). Fills *out;
 * returns true when the host imitates a brand. Thread-safe on a shared index. */
bool fz__url_lookalike(const struct fz__url_brands *b, const char *host, size_t hlen,
                       size_t reg_off, bool same_ok, struct fz__url_look *out);

/* Writes the confusable skeleton of s[0..len) (lower-case ASCII) into out (cap bytes, not
 * NUL-terminated): 0->o, 1/i->l, 3->e, 4->a, 5->s, rn->m, vv->w. Returns its length. */
size_t fz__url_skeleton(const char *s, size_t len, char *out, size_t cap);

/* Optimal-string-alignment (restricted Damerau-Levenshtein) distance of a and b, or max + 1
 * when it is larger than max. Both at most FZ__URL_LABEL_MAX + 1 bytes. */
unsigned fz__url_osa(const char *a, size_t alen, const char *b, size_t blen, unsigned max);

/* ---- the context (analyze.c) ------------------------------------------------------------ */

struct fz_url_ctx {
    const psl_ctx_t *psl;
    struct fz_map shorteners; /* host -> non-NULL */
    struct fz_map risky_tlds; /* tld -> non-NULL */
    struct fz__url_brands brands;
};

#endif
