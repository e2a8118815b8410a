/*
 * fangzha screen: the verdict on one message (engine layer, above the signals).
 *
 * A verdict combines three kinds of evidence: the rules that matched (struct fz_rules), the
 * linear model's scores (struct fz_model, optional), and the risk of the entities in the
 * message (phone classes and flags, URL flags and lookalikes). It says how risky the message
 * is (0-100), what it is (fraud, spam, ham), which fraud type, what to do (allow, warn,
 * block) and why, with spans into the original text so a console can highlight them.
 * Nothing here touches a database, HTTP or the command line.
 */
#ifndef FANGZHA_SCREEN_H
#define FANGZHA_SCREEN_H

#include "fangzha/core.h"
#include "fangzha/extract.h"
#include "fangzha/model.h"
#include "fangzha/rules.h"
#include "fangzha/text.h"

enum fz_action { FZ_ACTION_ALLOW, FZ_ACTION_WARN, FZ_ACTION_BLOCK };

/* "allow", "warn", "block". */
const char *fz_action_name(enum fz_action a);

/* Where a reason comes from. */
enum fz_reason_src { FZ_REASON_RULE, FZ_REASON_MODEL, FZ_REASON_ENTITY, FZ_REASON_INTEL };

/*
 * One reason of a verdict. code is the rule id (FZ_REASON_RULE) or the signal code
 * ("model.fraud", "phone.mvno", "url.lookalike", ...). [start, end) are byte offsets in the
 * original text when has_span. Strings are static or owned by the rule set / model.
 */
struct fz_verdict_reason {
    enum fz_reason_src src;
    const char *code;
    int weight;
    const char *zh;
    const char *en;
    bool has_span;
    size_t start, end;
    const char *indicator; /* FZ_REASON_INTEL: the indicator's id, else NULL */
};

#define FZ_VERDICT_MAX_REASONS 32

/*
 * The verdict on one message. entities and reasons live in the context's arena until the next
 * call with that context.
 */
struct fz_verdict {
    int score; /* 0-100 */
    enum fz_label label;
    int fraud_type; /* 0..FZ_FRAUD_TYPE_COUNT-1 for label fraud, else -1 */
    enum fz_action action;
    float model_fraud; /* the model's fraud score 0..1, or -1 without a model */
    float model_spam;  /* the model's not-ham score 0..1, or -1 without a model */
    size_t nreasons;
    struct fz_verdict_reason reasons[FZ_VERDICT_MAX_REASONS]; /* strongest first */
    struct fz_entities entities;
    const struct fz_text *text; /* the normalized text, for callers that show it */
};

/* ---- intelligence: what partners and analysts already know ---------------------------------- */

enum fz_intel_status { FZ_INTEL_NONE, FZ_INTEL_SUSPECTED, FZ_INTEL_CONFIRMED };

/* What an index knows of one entity. id names the indicator and must stay valid while the
 * index does (the verdict points at it). */
struct fz_intel_hit {
    enum fz_intel_status status;
    const char *id;
};

/*
 * An index of indicators (blocklisted numbers, domains, accounts, ...) that the engine asks
 * about every entity of a message: phones, URLs (host and registrable domain are the index's
 * to choose), e-mails, bank cards, QQ and WeChat IDs. lookup fills *hit and returns true on a
 * hit. It is called from every screening thread at once, so it must be thread-safe, must not
 * block and should take well under a microsecond (the server keeps an in-memory index and
 * swaps it whole). A confirmed hit raises the verdict to block with the indicator as a reason;
 * a suspected one adds evidence (docs/internals/screen.md).
 */
struct fz_intel {
    bool (*lookup)(const void *ud, const struct fz_entity *e, struct fz_intel_hit *hit);
    const void *ud;
};

/* Thresholds of the score: warn at or above warn_at, block at or above block_at, and label
 * fraud at or above fraud_at. Defaults (0 means default): 40, 80, 50. intel, when not NULL,
 * must outlive the engine. */
struct fz_screen_opts {
    int warn_at;
    int block_at;
    int fraud_at;
    const struct fz_intel *intel;
};

/* The read-only engine: an extractor, optionally a model and a rule set. Share between
 * threads. */
struct fz_screen;

/*
 * Creates an engine. model may be NULL (rules and entities only); rules may be NULL (model and
 * entities only). The engine takes a reference to rules and borrows model, which must outlive
 * it. opts may be NULL. FZ_ENOMEM, FZ_EINVAL for thresholds out of 1..100 or block_at <
 * warn_at.
 */
fz_rc fz_screen_new(const struct fz_screen_opts *opts, const struct fz_model *model,
                    struct fz_rules *rules, struct fz_screen **out);
/* Frees the engine and drops its rules reference. NULL is fine. */
void fz_screen_free(struct fz_screen *s);

/* Per-thread working memory: the normalized text, an arena, the rule and model scratch. */
struct fz_screen_ctx;
fz_rc fz_screen_ctx_new(const struct fz_screen *s, struct fz_screen_ctx **out);
void fz_screen_ctx_free(struct fz_screen_ctx *c);
/* Screens with intel instead of the engine's opts.intel from now on (NULL: the engine's again).
 * A server sets the index snapshot of each request here; intel must outlive its use. */
void fz_screen_ctx_set_intel(struct fz_screen_ctx *c, const struct fz_intel *intel);

/*
 * Screens text[0..len) into *out. Returns FZ_ETOOBIG (over FZ_CAP_SMS_TEXT), FZ_ENOMEM; on
 * error *out is a zero verdict. Thread-safe with a shared engine and a per-thread context; in
 * steady state it allocates nothing beyond the context's arena.
 */
fz_rc fz_screen_message(const struct fz_screen *s, struct fz_screen_ctx *c, const char *text,
                        size_t len, struct fz_verdict *out);

/*
 * As fz_screen_message, also judging who sent the message: sender (sender_len bytes; NULL for
 * none) is the SMS sender or caller ID as the operator gives it. When it reads as a phone
 * number its risk prior counts as an entity's would, and its reasons join the verdict with
 * code "sender.<reason>" (e.g. "sender.phone.mvno") and no span. A sender that is not a
 * number (an alphanumeric SMS sender) adds nothing. FZ_ETOOBIG for a sender over 256 bytes.
 */
fz_rc fz_screen_message_from(const struct fz_screen *s, struct fz_screen_ctx *c, const char *text,
                             size_t len, const char *sender, size_t sender_len,
                             struct fz_verdict *out);

/*
 * Writes the verdict's members into the open object of j: "score", "label", "fraud_type",
 * "action", "reasons" (each {"rule" | "signal", "weight", "description_zh", "description_en",
 * "span": [start, end] or null}) and "entities" (fz_entities_json). orig is the screened text.
 * The caller writes the object's braces and its "id" (docs/cli.md, fangzha scan).
 */
void fz_verdict_json(struct fz_json *j, const struct fz_verdict *v, const char *orig);

#endif
