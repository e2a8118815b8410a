/*
 * fangzha extract: the entities fraudsters use, found in normalized text with offsets into
 * the original (signal layer, above text, phone and url).
 *
 * Phone numbers, URLs, e-mail addresses, bank card numbers (Luhn), PRC resident ID numbers
 * (GB 11643), QQ numbers and WeChat IDs after their cue words, and money amounts in fen.
 * Dates, times, order numbers, verification codes and amounts do not come out as phones.
 */
#ifndef FANGZHA_EXTRACT_H
#define FANGZHA_EXTRACT_H

#include "fangzha/core.h"
#include "fangzha/phone.h"
#include "fangzha/text.h"
#include "fangzha/url.h"

enum fz_entity_kind {
    FZ_ENT_PHONE,
    FZ_ENT_URL,
    FZ_ENT_EMAIL,
    FZ_ENT_BANK_CARD,
    FZ_ENT_ID_NUMBER,
    FZ_ENT_QQ,
    FZ_ENT_WECHAT,
    FZ_ENT_AMOUNT,
    FZ_ENT__COUNT
};

/*
 * One entity. orig[start..end) is what the sender wrote, separators and padding inside the
 * entity included. value is NUL-terminated in the arena: E.164 for a phone (the dialled digits
 * for a short code that has none, "95588"), the analyzer's normalized URL, the lower-case
 * e-mail address, the digits of a card, the 18 characters of an ID (upper-case X), the QQ
 * number, the lower-case WeChat ID (a phone's national number after a WeChat cue), and for an
 * amount its yuan as text ("1299.50", the exact value being amount_fen).
 */
struct fz_entity {
    enum fz_entity_kind kind;
    size_t start, end;     /* byte offsets in the original text, end exclusive */
    const char *value;     /* E.164 / the URL / card or ID digits / QQ / WeChat ID / e-mail */
    int64_t amount_fen;    /* FZ_ENT_AMOUNT only */
    struct fz_phone phone; /* FZ_ENT_PHONE only */
    struct fz_url url;     /* FZ_ENT_URL only */
};

/* All entities of one text, per kind in order of position. Memory from the arena. */
struct fz_entities {
    struct fz_entity *items[FZ_ENT__COUNT];
    size_t count[FZ_ENT__COUNT];
};

/* The read-only extractor context (holds the URL context). Share between threads. */
struct fz_extractor;
fz_rc fz_extractor_new(struct fz_extractor **out);
void fz_extractor_free(struct fz_extractor *x);

/*
 * Extracts entities from a text already normalized into norm from orig[0..orig_len).
 * Memory comes from the arena a. Returns FZ_ENOMEM, or FZ_EINVAL for a NULL argument; on
 * error *out is emptied. Thread-safe with a shared extractor and per-thread arena.
 * docs/internals/extract.md says what counts as each entity.
 */
fz_rc fz_extract(const struct fz_extractor *x, const struct fz_text *norm, const char *orig,
                 size_t orig_len, struct fz_arena *a, struct fz_entities *out);

/* "phones", "urls", ... — the JSON key for each kind. */
const char *fz_entity_kind_key(enum fz_entity_kind k);

/*
 * Writes one member per kind ("phones": [...], "urls": [...], ...) into the open object of j:
 * each entity as {"raw" (from orig), "value", "start", "end"}, phones with "e164" and "class",
 * URLs with "host", "registrable_domain" and "flags" (docs/cli.md, fangzha extract).
 */
void fz_entities_json(struct fz_json *j, const struct fz_entities *ents, const char *orig);

#endif
