/*
 * rules/parse.c: the rule language (docs/rules.md) into struct fz__rule.
 *
 * A file is a sequence of `field: value` lines; `rule: ID` starts a rule and the fields after
 * it belong to it until the next `rule:`. Blank lines and lines starting with '#' are
 * ignored. Literal patterns are normalized here with the text module, so an analyst may write
 * them as a sender would; regexes are checked with Hyperscan here, so a bad one is reported
 * at its own line. Every error names the file, the line and the field.
 */
#include "rules_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fraud types ---- */

const char *fz_rules_type_lookup(const char *name, size_t len)
{
    if (len == 4 && memcmp(name, "spam", 4) == 0)
        return "spam";
    return fz_fraud_type_name(fz_fraud_type_index(name, len));
}

/* ---- one file ---- */

enum field { F_RULE, F_TYPE, F_WEIGHT, F_ZH, F_EN, F_PATTERN, F_REGEX, F_ENTITY, F_NEAR, F__COUNT };

static const char *const field_names[F__COUNT] = {
    "rule", "type", "weight", "zh", "en", "pattern", "regex", "entity", "near",
};

/* The state of the file being parsed. */
struct parser {
    struct fz_rules_builder *b;
    const char *name; /* the file name for messages */
    size_t lineno;
    struct fz__rule *cur;       /* the rule being read, or NULL before the first `rule:` */
    size_t seen_line[F__COUNT]; /* line where each field of cur was given, 0 if not yet */
    struct fz_err *err;
};

static fz_rc fail(struct parser *p, size_t line, const char *field, const char *fmt, ...)
    FZ_PRINTF(4, 5);

static fz_rc fail(struct parser *p, size_t line, const char *field, const char *fmt, ...)
{
    char why[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return fz_err_setloc(p->err, FZ_EPARSE, line, field, "%s:%zu: %s", p->name, line, why);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static struct fz_str trim(const char *s, size_t len)
{
    while (len > 0 && is_space(*s)) {
        s++;
        len--;
    }
    while (len > 0 && is_space(s[len - 1]))
        len--;
    return (struct fz_str){s, len};
}

static bool eq(struct fz_str s, const char *lit)
{
    return strlen(lit) == s.len && memcmp(s.ptr, lit, s.len) == 0;
}

static char *dup(struct parser *p, struct fz_str v)
{
    return fz_arena_strndup(&p->b->mem, v.ptr, v.len);
}

/* ---- entity conditions ---- */

static const struct {
    const char *name;
    enum fz_entity_kind kind;
} kinds[] = {
    {"phone", FZ_ENT_PHONE},         {"url", FZ_ENT_URL},
    {"email", FZ_ENT_EMAIL},         {"bank_card", FZ_ENT_BANK_CARD},
    {"id_number", FZ_ENT_ID_NUMBER}, {"qq", FZ_ENT_QQ},
    {"wechat", FZ_ENT_WECHAT},       {"amount", FZ_ENT_AMOUNT},
};

/* NAME=VALUE after "phone." or "url.": fills c from the flag or class tables. */
static fz_rc parse_attr(struct parser *p, struct fz_str v, struct fz__rules_cond *c)
{
    const char *eqs = memchr(v.ptr, '=', v.len);
    if (eqs == NULL)
        return fail(p, p->lineno, "entity", "expected ATTR=VALUE after '%s.'",
                    c->kind == FZ_ENT_PHONE ? "phone" : "url");
    struct fz_str attr = trim(v.ptr, (size_t)(eqs - v.ptr));
    struct fz_str val = trim(eqs + 1, v.len - (size_t)(eqs - v.ptr) - 1);
    char name[48];
    snprintf(name, sizeof name, "%.*s", (int)(val.len < 40 ? val.len : 40), val.ptr);
    if (c->kind == FZ_ENT_PHONE && eq(attr, "class")) {
        c->test = FZ__RULES_PHONE_CLASS;
        for (int k = FZ_PHONE_INVALID; k <= FZ_PHONE_INTERNATIONAL; k++) {
            if (eq(val, fz_phone_class_name((enum fz_phone_class)k))) {
                c->value = (uint32_t)k;
                return FZ_OK;
            }
        }
        return fail(p, p->lineno, "entity", "unknown phone class '%s'", name);
    }
    bool is_phone = c->kind == FZ_ENT_PHONE;
    if (eq(attr, "flag")) {
        c->test = is_phone ? FZ__RULES_PHONE_FLAG : FZ__RULES_URL_FLAG;
        int count = is_phone ? FZ_PHONE_FLAG_COUNT : FZ_URL_FLAG_COUNT;
        for (int i = 0; i < count; i++) {
            uint32_t bit = 1u << i;
            const char *fn = is_phone ? fz_phone_flag_name(bit) : fz_url_flag_name(bit);
            if (fn != NULL && eq(val, fn)) {
                c->value = bit;
                return FZ_OK;
            }
        }
        return fail(p, p->lineno, "entity", "unknown %s flag '%s'", is_phone ? "phone" : "url",
                    name);
    }
    snprintf(name, sizeof name, "%.*s", (int)(attr.len < 40 ? attr.len : 40), attr.ptr);
    return fail(p, p->lineno, "entity", "unknown attribute '%s' (%s)", name,
                is_phone ? "phone takes class or flag" : "url takes flag");
}

/* amount OP N, OP one of >= > <= < =. */
static fz_rc parse_amount(struct parser *p, struct fz_str v, struct fz__rules_cond *c)
{
    struct fz_str rest = trim(v.ptr, v.len);
    size_t oplen = 1;
    if (rest.len >= 2 && rest.ptr[1] == '=' && (rest.ptr[0] == '>' || rest.ptr[0] == '<')) {
        oplen = 2;
        c->op = rest.ptr[0] == '>' ? FZ__RULES_GE : FZ__RULES_LE;
    } else if (rest.len >= 1 && rest.ptr[0] == '>') {
        c->op = FZ__RULES_GT;
    } else if (rest.len >= 1 && rest.ptr[0] == '<') {
        c->op = FZ__RULES_LT;
    } else if (rest.len >= 1 && rest.ptr[0] == '=') {
        c->op = FZ__RULES_EQ;
    } else {
        return fail(p, p->lineno, "entity", "expected >=, >, <=, < or = after 'amount'");
    }
    struct fz_str num = trim(rest.ptr + oplen, rest.len - oplen);
    if (!fz_str_to_uint(num, 15, &c->amount_fen))
        return fail(p, p->lineno, "entity", "amount needs a whole number of fen (up to 15 digits)");
    c->test = FZ__RULES_AMOUNT;
    return FZ_OK;
}

static fz_rc parse_entity(struct parser *p, struct fz_str v)
{
    struct fz__rule *r = p->cur;
    if (r->pub.nconds >= FZ_RULES_MAX_CONDS)
        return fail(p, p->lineno, "entity", "more than %d entity conditions in rule '%s'",
                    FZ_RULES_MAX_CONDS, r->pub.id);
    struct fz__rules_cond *c = &r->cond[r->pub.nconds];
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t kl = strlen(kinds[i].name);
        if (v.len < kl || memcmp(v.ptr, kinds[i].name, kl) != 0)
            continue;
        struct fz_str rest = {v.ptr + kl, v.len - kl};
        c->kind = kinds[i].kind;
        fz_rc rc = FZ_OK;
        if (rest.len == 0) {
            c->test = FZ__RULES_PRESENT;
        } else if (c->kind == FZ_ENT_AMOUNT && !(rest.ptr[0] == '.' || rest.ptr[0] == '_')) {
            rc = parse_amount(p, rest, c);
        } else if ((c->kind == FZ_ENT_PHONE || c->kind == FZ_ENT_URL) && rest.ptr[0] == '.') {
            rc = parse_attr(p, (struct fz_str){rest.ptr + 1, rest.len - 1}, c);
        } else {
            continue; /* "phoneX", or a longer kind name sharing the prefix */
        }
        if (rc == FZ_OK)
            r->pub.nconds++;
        return rc;
    }
    char name[48];
    snprintf(name, sizeof name, "%.*s", (int)(v.len < 40 ? v.len : 40), v.ptr);
    return fail(p, p->lineno, "entity",
                "unknown entity condition '%s' (see docs/rules.md for the list)", name);
}

/* ---- patterns ---- */

static fz_rc parse_literal(struct parser *p, struct fz_str v)
{
    fz_rc rc = fz_text_normalize(v.ptr, v.len, &p->b->norm);
    if (rc != FZ_OK)
        return rc == FZ_ENOMEM ? rc : fail(p, p->lineno, "pattern", "cannot normalize pattern");
    if (p->b->norm.len == 0)
        return fail(p, p->lineno, "pattern", "pattern is empty after normalization");
    char *s = dup(p, (struct fz_str){p->b->norm.ptr, p->b->norm.len});
    if (s == NULL)
        return FZ_ENOMEM;
    p->cur->pub.pattern = s;
    p->cur->pub.is_regex = false;
    p->cur->pattern_line = p->lineno;
    return FZ_OK;
}

static fz_rc parse_regex(struct parser *p, struct fz_str v)
{
    char *s = dup(p, v);
    if (s == NULL)
        return FZ_ENOMEM;
    if (strlen(s) != v.len)
        return fail(p, p->lineno, "regex", "regex contains a NUL byte");
    hs_expr_info_t *info = NULL;
    hs_compile_error_t *cerr = NULL;
    unsigned flags = HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_CASELESS | HS_FLAG_SOM_LEFTMOST;
    if (hs_expression_info(s, flags, &info, &cerr) != HS_SUCCESS) {
        fz_rc rc = fail(p, p->lineno, "regex", "rule '%s': hyperscan refuses the regex: %s",
                        p->cur->pub.id, cerr != NULL ? cerr->message : "unknown error");
        hs_free_compile_error(cerr);
        return rc;
    }
    bool empty = info->min_width == 0;
    /* build.c needs to know whether every match has one width; keep it rather than ask
     * Hyperscan again (each question costs about 0.3 ms) */
    p->cur->regex_width = info->min_width == info->max_width ? info->max_width : 0;
    free(info); /* NOLINT: hs_expression_info allocates with the C library's malloc */
    if (empty)
        return fail(p, p->lineno, "regex", "rule '%s': regex can match the empty string",
                    p->cur->pub.id);
    p->cur->pub.pattern = s;
    p->cur->pub.is_regex = true;
    p->cur->pattern_line = p->lineno;
    return FZ_OK;
}

/* ---- rules ---- */

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

/* Checks that the rule being read is complete. */
static fz_rc finish(struct parser *p)
{
    struct fz__rule *r = p->cur;
    if (r == NULL)
        return FZ_OK;
    size_t at = r->pub.line;
    static const enum field required[] = {F_TYPE, F_WEIGHT, F_ZH, F_EN};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (p->seen_line[required[i]] == 0)
            return fail(p, at, field_names[required[i]], "rule '%s' has no '%s:'", r->pub.id,
                        field_names[required[i]]);
    if (r->pub.pattern == NULL && r->pub.nconds == 0)
        return fail(p, at, "pattern",
                    "rule '%s' needs a pattern:, a regex: or an entity:", r->pub.id);
    if (r->pub.near > 0 && (r->pub.pattern == NULL || r->pub.nconds == 0))
        return fail(p, p->seen_line[F_NEAR], "near",
                    "rule '%s': near: needs both a pattern and an entity condition", r->pub.id);
    return FZ_OK;
}

static fz_rc start_rule(struct parser *p, struct fz_str v)
{
    fz_rc rc = finish(p);
    if (rc != FZ_OK)
        return rc;
    p->cur = NULL;
    if (v.len == 0 || v.len > FZ_RULES_MAX_ID)
        return fail(p, p->lineno, "rule", "rule id must be 1 to %d characters", FZ_RULES_MAX_ID);
    for (size_t i = 0; i < v.len; i++)
        if (!id_char(v.ptr[i]))
            return fail(p, p->lineno, "rule",
                        "rule id '%.*s' may only hold letters, digits, '.', '_' and '-'",
                        (int)v.len, v.ptr);
    void *prev = fz_map_get(&p->b->ids, v.ptr, v.len);
    if (prev != NULL) {
        const struct fz__rule *o = &p->b->rules[(size_t)(uintptr_t)prev - 1];
        return fail(p, p->lineno, "rule", "duplicate rule id '%.*s' (first in %s:%zu)", (int)v.len,
                    v.ptr, o->pub.file, o->pub.line);
    }
    struct fz_rules_builder *b = p->b;
    if (b->n >= FZ_RULES_MAX_RULES)
        return fail(p, p->lineno, "rule", "more than %d rules in one set", FZ_RULES_MAX_RULES);
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct fz__rule *nr = fz_realloc(b->rules, cap * sizeof *nr);
        if (nr == NULL)
            return FZ_ENOMEM;
        b->rules = nr;
        b->cap = cap;
    }
    struct fz__rule *r = &b->rules[b->n];
    memset(r, 0, sizeof *r);
    r->pub.id = dup(p, v);
    r->pub.file = p->name;
    r->pub.line = p->lineno;
    if (r->pub.id == NULL)
        return FZ_ENOMEM;
    rc = fz_map_put(&b->ids, v.ptr, v.len, (void *)(uintptr_t)(b->n + 1), NULL);
    if (rc != FZ_OK)
        return rc;
    b->n++;
    p->cur = r;
    memset(p->seen_line, 0, sizeof p->seen_line);
    p->seen_line[F_RULE] = p->lineno;
    return FZ_OK;
}

static fz_rc set_field(struct parser *p, enum field f, struct fz_str v)
{
    struct fz__rule *r = p->cur;
    const char *fname = field_names[f];
    if (f != F_ENTITY && p->seen_line[f] != 0)
        return fail(p, p->lineno, fname, "rule '%s' already has '%s:' (line %zu)", r->pub.id, fname,
                    p->seen_line[f]);
    if ((f == F_PATTERN && p->seen_line[F_REGEX]) || (f == F_REGEX && p->seen_line[F_PATTERN]))
        return fail(p, p->lineno, fname, "rule '%s' has both pattern: and regex:", r->pub.id);
    if (v.len == 0)
        return fail(p, p->lineno, fname, "empty value for '%s:'", fname);
    p->seen_line[f] = p->lineno;
    int64_t n = 0;
    switch (f) {
    case F_TYPE:
        r->pub.type = fz_rules_type_lookup(v.ptr, v.len);
        if (r->pub.type == NULL)
            return fail(p, p->lineno, fname, "unknown fraud type '%.*s'",
                        (int)(v.len < 40 ? v.len : 40), v.ptr);
        return FZ_OK;
    case F_WEIGHT:
        if (!fz_str_to_uint(v, 15, &n) || n < 1 || n > 100)
            return fail(p, p->lineno, fname, "weight must be a whole number from 1 to 100");
        r->pub.weight = (int)n;
        return FZ_OK;
    case F_NEAR:
        if (!fz_str_to_uint(v, 15, &n) || n < 1 || n > 100000)
            return fail(p, p->lineno, fname, "near must be a whole number of bytes, 1 to 100000");
        r->pub.near = (size_t)n;
        return FZ_OK;
    case F_ZH:
    case F_EN: {
        char *s = dup(p, v);
        if (s == NULL)
            return FZ_ENOMEM;
        if (f == F_ZH)
            r->pub.zh = s;
        else
            r->pub.en = s;
        return FZ_OK;
    }
    case F_PATTERN: return parse_literal(p, v);
    case F_REGEX: return parse_regex(p, v);
    case F_ENTITY: return parse_entity(p, v);
    case F_RULE:
    case F__COUNT: break;
    }
    FZ_BUG("unhandled rule field");
    return FZ_EINVAL;
}

static fz_rc parse_line(struct parser *p, const char *s, size_t len)
{
    if (len > FZ_RULES_MAX_LINE)
        return fail(p, p->lineno, "", "line longer than %d bytes", FZ_RULES_MAX_LINE);
    if (!fz_utf8_valid(s, len))
        return fail(p, p->lineno, "", "invalid UTF-8");
    struct fz_str line = trim(s, len);
    if (line.len == 0 || line.ptr[0] == '#')
        return FZ_OK;
    const char *colon = memchr(line.ptr, ':', line.len);
    if (colon == NULL)
        return fail(p, p->lineno, "", "expected 'field: value'");
    struct fz_str key = trim(line.ptr, (size_t)(colon - line.ptr));
    struct fz_str val = trim(colon + 1, line.len - (size_t)(colon - line.ptr) - 1);
    for (int f = 0; f < F__COUNT; f++) {
        if (!eq(key, field_names[f]))
            continue;
        if (f == F_RULE)
            return start_rule(p, val);
        if (p->cur == NULL)
            return fail(p, p->lineno, field_names[f], "'%s:' before the first 'rule:'",
                        field_names[f]);
        return set_field(p, (enum field)f, val);
    }
    return fail(p, p->lineno, "", "unknown field '%.*s'", (int)(key.len < 32 ? key.len : 32),
                key.ptr);
}

/* Removes the rules added since n0 (a failed file). Their strings stay in the arena until the
 * builder's rules are built into a set or the builder is freed. */
static void rollback(struct fz_rules_builder *b, size_t n0)
{
    while (b->n > n0) {
        b->n--;
        fz_map_del(&b->ids, b->rules[b->n].pub.id, strlen(b->rules[b->n].pub.id));
    }
}

fz_rc fz_rules_builder_add(struct fz_rules_builder *b, const char *name, const char *text,
                           size_t len, struct fz_err *err)
{
    if (b == NULL || name == NULL || (text == NULL && len > 0))
        return fz_err_set(err, FZ_EINVAL, "no builder, name or text");
    if (len > FZ_RULES_MAX_FILE)
        return fz_err_set(err, FZ_ETOOBIG, "%s: rule file larger than %zu bytes", name,
                          FZ_RULES_MAX_FILE);
    struct parser p = {.b = b, .err = err};
    size_t n0 = b->n;
    const char *base = strrchr(name, '/');
    p.name = fz_arena_strndup(&b->mem, base ? base + 1 : name, strlen(base ? base + 1 : name));
    if (p.name == NULL)
        return fz_err_set(err, FZ_ENOMEM, "out of memory reading rules");
    fz_rc rc = FZ_OK;
    size_t pos = 0;
    while (pos < len && rc == FZ_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        p.lineno++;
        rc = parse_line(&p, text + pos, end - pos);
        pos = end + 1;
    }
    if (rc == FZ_OK)
        rc = finish(&p);
    if (rc != FZ_OK) {
        if (rc == FZ_ENOMEM)
            fz_err_set(err, FZ_ENOMEM, "%s: out of memory reading rules", p.name);
        rollback(b, n0);
    }
    return rc;
}

fz_rc fz_rules_builder_add_file(struct fz_rules_builder *b, const char *path, struct fz_err *err)
{
    if (b == NULL || path == NULL)
        return fz_err_set(err, FZ_EINVAL, "no builder or path");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fz_err_set(err, FZ_EIO, "cannot open rule file '%s'", path);
    struct fz_buf buf;
    fz_buf_init(&buf, FZ_RULES_MAX_FILE);
    fz_rc rc = fz_buf_read(&buf, f);
    fclose(f);
    if (rc == FZ_OK)
        rc = fz_rules_builder_add(b, path, buf.ptr, buf.len, err);
    else if (rc == FZ_ETOOBIG)
        fz_err_set(err, rc, "rule file '%s' larger than %zu bytes", path, FZ_RULES_MAX_FILE);
    else
        fz_err_set(err, rc, "cannot read rule file '%s'", path);
    fz_buf_release(&buf);
    return rc;
}
