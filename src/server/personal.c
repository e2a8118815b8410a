/*
 * server/personal: personal data in a text meant for the public (a typical case before it is
 * published). The extractor (src/extract) finds phone numbers (mobile, landline, international:
 * service numbers such as 110 and 96110 are not personal), ID numbers, bank cards, e-mail
 * addresses, QQ numbers and WeChat IDs; a name is what follows 姓名 or 户名 (after an optional
 * ：/: or 是/为/叫), or 联系人, 收款人, 持卡人, 开户人 with one of those between (联系人说 is not
 * a name) — two to four Han characters, none of them 某 (李某 and 张* are masked). Masked
 * numbers (138****5678) are not numbers to the extractor, so they pass.
 */
#include "server_int.h"

#include <string.h>

/* Cue words a person's name follows; the later ones only with a separator. */
static const struct {
    const char *cue;
    bool needs_separator;
} name_cues[] = {{"姓名", false},  {"户名", false},  {"联系人", true},
                 {"收款人", true}, {"持卡人", true}, {"开户人", true}};

static bool is_han(uint32_t cp) { return cp >= 0x4E00 && cp <= 0x9FFF; }

/* A name at p (before end): an optional separator (： : 是 为 叫, required with
 * needs_separator), spaces, then two to four Han characters, none of them 某. */
static bool name_at(const char *p, const char *end, bool needs_separator)
{
    uint32_t cp;
    const char *q = p;
    if (p < end && fz_utf8_decode(&q, end, &cp) &&
        (cp == 0xFF1A || cp == ':' || cp == 0x662F || cp == 0x4E3A || cp == 0x53EB))
        p = q;
    else if (needs_separator)
        return false;
    while (p < end && *p == ' ')
        p++;
    int han = 0;
    bool masked = false;
    while (p < end && han < 4) {
        q = p;
        if (!fz_utf8_decode(&q, end, &cp) || !is_han(cp))
            break;
        masked |= cp == 0x67D0; /* 某 */
        han++;
        p = q;
    }
    return han >= 2 && !masked;
}

/* The first name after a cue; *start is the cue's offset. */
static bool find_name(const char *s, size_t len, size_t *start)
{
    bool found = false;
    for (size_t c = 0; c < sizeof name_cues / sizeof *name_cues; c++) {
        size_t n = strlen(name_cues[c].cue);
        for (const char *p = s; p + n <= s + len && (!found || (size_t)(p - s) < *start); p++) {
            if (memcmp(p, name_cues[c].cue, n) == 0 &&
                name_at(p + n, s + len, name_cues[c].needs_separator)) {
                *start = (size_t)(p - s);
                found = true;
                break;
            }
        }
    }
    return found;
}

static bool personal_phone(const struct fz_entity *e)
{
    switch (e->phone.cls) {
    case FZ_PHONE_MOBILE:
    case FZ_PHONE_MVNO:
    case FZ_PHONE_DATA:
    case FZ_PHONE_IOT:
    case FZ_PHONE_LANDLINE:
    case FZ_PHONE_INTERNATIONAL: return true;
    default: return false;
    }
}

fz_rc fz_server_personal_find(const struct fz_extractor *x, const char *s, size_t len,
                              struct fz_arena *a, struct fz_server_personal *out)
{
    static const struct {
        enum fz_entity_kind kind;
        const char *name;
    } kinds[] = {{FZ_ENT_PHONE, "phone"},
                 {FZ_ENT_ID_NUMBER, "id_number"},
                 {FZ_ENT_BANK_CARD, "bank_card"},
                 {FZ_ENT_EMAIL, "email"},
                 {FZ_ENT_QQ, "qq"},
                 {FZ_ENT_WECHAT, "wechat"}};
    out->kind = NULL;
    out->start = len;
    struct fz_text norm;
    fz_text_init(&norm);
    struct fz_entities ents;
    fz_rc rc = fz_text_normalize(s, len, &norm);
    if (!rc)
        rc = fz_extract(x, &norm, s, len, a, &ents);
    fz_text_release(&norm);
    if (rc)
        return rc;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
        for (size_t i = 0; i < ents.count[kinds[k].kind]; i++) {
            const struct fz_entity *e = &ents.items[kinds[k].kind][i];
            if ((e->kind == FZ_ENT_PHONE && !personal_phone(e)) || e->start >= out->start)
                continue;
            out->kind = kinds[k].name;
            out->start = e->start;
        }
    size_t at = 0;
    if (find_name(s, len, &at) && at < out->start) {
        out->kind = "name";
        out->start = at;
    }
    return FZ_OK;
}
