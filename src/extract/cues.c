/*
 * extract/cues: the cue words that say what a nearby number or word is, and the bounded
 * window searches for them.
 *
 * Cues are written in normalized form (lower case, simplified Chinese, fullwidth punctuation
 * folded to ASCII), because that is the text they are matched in. Looking back from a
 * candidate, the nearest cue wins, and at one position the longest cue wins, so "订单号码"
 * is an order cue although "号码" alone is a phone cue. A cue made of ASCII letters must stand
 * as a word: "tel" does not match inside "hotel".
 */
#include "compat.h"

#include "extract_int.h"

#include <string.h>

#define CUE(s, k)                                                                                  \
    {                                                                                              \
        s, (uint8_t)(sizeof(s) - 1), FZ__CUE_##k                                                   \
    }

/* clang-format off */
static const struct fz__cue cues[] = {
    /* phone: say that a phone number follows; a short service number (95588) needs one */
    CUE("电话", PHONE), CUE("手机", PHONE), CUE("手机号", PHONE), CUE("热线", PHONE),
    CUE("客服", PHONE), CUE("致电", PHONE), CUE("拨打", PHONE), CUE("拨", PHONE),
    CUE("呼叫", PHONE), CUE("来电", PHONE), CUE("回电", PHONE), CUE("联系", PHONE),
    CUE("座机", PHONE), CUE("号码", PHONE), CUE("电联", PHONE), CUE("咨询", PHONE),
    CUE("详询", PHONE), CUE("专线", PHONE), CUE("打给", PHONE), CUE("短号", PHONE),
    CUE("tel", PHONE), CUE("phone", PHONE), CUE("telephone", PHONE), CUE("call", PHONE),
    CUE("mobile", PHONE), CUE("hotline", PHONE), CUE("cell", PHONE), CUE("dial", PHONE),
    CUE("contact", PHONE), CUE("whatsapp", PHONE), CUE("tel no", PHONE),
    CUE("phone no", PHONE),
    /* order and reference numbers, postcodes, card tails: never phones */
    CUE("订单号", ORDER), CUE("订单", ORDER), CUE("订单号码", ORDER), CUE("单号", ORDER),
    CUE("编号", ORDER), CUE("编码", ORDER), CUE("流水号", ORDER), CUE("交易号", ORDER),
    CUE("运单", ORDER), CUE("工单", ORDER), CUE("批次", ORDER), CUE("合同号", ORDER),
    CUE("发票", ORDER), CUE("邮编", ORDER), CUE("尾号", ORDER), CUE("工号", ORDER),
    CUE("学号", ORDER), CUE("会员号", ORDER), CUE("序列号", ORDER), CUE("批号", ORDER),
    CUE("案号", ORDER), CUE("受理号", ORDER), CUE("凭证号", ORDER), CUE("车次", ORDER),
    CUE("航班", ORDER), CUE("座位", ORDER), CUE("房间", ORDER), CUE("门牌", ORDER),
    CUE("order", ORDER), CUE("order no", ORDER), CUE("tracking", ORDER), CUE("ref", ORDER),
    CUE("invoice", ORDER), CUE("serial", ORDER), CUE("zip", ORDER), CUE("postcode", ORDER),
    CUE("booking", ORDER), CUE("ticket", ORDER),
    /* one-time codes and passwords */
    CUE("验证码", CODE), CUE("校验码", CODE), CUE("动态码", CODE), CUE("动态密码", CODE),
    CUE("短信码", CODE), CUE("确认码", CODE), CUE("取件码", CODE), CUE("提取码", CODE),
    CUE("激活码", CODE), CUE("邀请码", CODE), CUE("识别码", CODE), CUE("安全码", CODE),
    CUE("口令", CODE), CUE("密码", CODE), CUE("取货码", CODE), CUE("会议号", CODE),
    CUE("房间号", CODE), CUE("code", CODE), CUE("otp", CODE), CUE("pin", CODE),
    CUE("passcode", CODE), CUE("password", CODE), CUE("verification", CODE),
    /* money */
    CUE("\xc2\xa5", AMOUNT), CUE("\xef\xbf\xa5", AMOUNT), CUE("$", AMOUNT),
    CUE("金额", AMOUNT), CUE("余额", AMOUNT), CUE("额度", AMOUNT), CUE("价格", AMOUNT),
    CUE("共计", AMOUNT), CUE("合计", AMOUNT), CUE("总计", AMOUNT), CUE("总额", AMOUNT),
    CUE("费用", AMOUNT), CUE("手续费", AMOUNT), CUE("保证金", AMOUNT), CUE("佣金", AMOUNT),
    CUE("工资", AMOUNT), CUE("月薪", AMOUNT), CUE("日薪", AMOUNT), CUE("收益", AMOUNT),
    CUE("人民币", AMOUNT), CUE("rmb", AMOUNT), CUE("cny", AMOUNT), CUE("usd", AMOUNT),
    CUE("price", AMOUNT), CUE("amount", AMOUNT), CUE("balance", AMOUNT), CUE("fee", AMOUNT),
    CUE("total", AMOUNT),
    /* QQ */
    CUE("qq", QQ), CUE("qq号", QQ), CUE("qq号码", QQ), CUE("qq群", QQ), CUE("qq群号", QQ),
    CUE("qq群号码", QQ), CUE("群号码", QQ), CUE("扣扣", QQ),
    CUE("企鹅", QQ), CUE("企鹅号", QQ), CUE("q号", QQ), CUE("q群", QQ), CUE("加q", QQ),
    CUE("+q", QQ), CUE("扣q", QQ),
    /* WeChat, with the homophones and slang used to slip past keyword filters */
    CUE("微信", WECHAT), CUE("微信号", WECHAT), CUE("微信号码", WECHAT), CUE("威信", WECHAT),
    CUE("薇信", WECHAT), CUE("徽信", WECHAT), CUE("维信", WECHAT), CUE("微x", WECHAT),
    CUE("v信", WECHAT), CUE("vx", WECHAT), CUE("vx号", WECHAT), CUE("wx", WECHAT),
    CUE("wx号", WECHAT), CUE("weixin", WECHAT), CUE("wechat", WECHAT), CUE("加v", WECHAT),
    CUE("+v", WECHAT), CUE("加薇", WECHAT), CUE("绿泡泡", WECHAT), CUE("加卫星", WECHAT),
    CUE("wechat id", WECHAT), CUE("v号", WECHAT),
    /* cards and accounts */
    CUE("卡号", CARD), CUE("银行卡", CARD), CUE("银行卡号", CARD), CUE("账号", CARD),
    CUE("账户", CARD), CUE("帐号", CARD), CUE("帐户", CARD), CUE("储蓄卡", CARD),
    CUE("信用卡", CARD), CUE("card", CARD), CUE("account", CARD),
    /* ID numbers */
    CUE("身份证", ID), CUE("身份证号", ID), CUE("身份证号码", ID), CUE("证件号", ID),
    CUE("证件号码", ID),
};
/* clang-format on */

_Static_assert(sizeof cues / sizeof *cues <= FZ__CUE_MAX, "raise FZ__CUE_MAX");
_Static_assert(sizeof cues / sizeof *cues <= 255, "cue indices are bytes");

const struct fz__cue *fz__extract_cue_table(size_t *n)
{
    *n = sizeof cues / sizeof *cues;
    return cues;
}

/* Fills one bucket index: order[] holds cue numbers grouped by key byte, longest first. The
 * last-byte index holds every cue; the first-byte index only the code cues, the only ones
 * looked for after a number. */
static void index_by(uint16_t *bucket, uint8_t *order, bool last)
{
    size_t n = sizeof cues / sizeof *cues;
    uint16_t count[257] = {0};
    for (size_t k = 0; k < n; k++)
        if (last || cues[k].kind == FZ__CUE_CODE)
            count[(unsigned char)cues[k].s[last ? cues[k].len - 1 : 0] + 1]++;
    bucket[0] = 0;
    for (size_t b = 1; b < 257; b++)
        bucket[b] = (uint16_t)(bucket[b - 1] + count[b]);
    uint16_t fill[256];
    memcpy(fill, bucket, sizeof fill);
    for (size_t k = 0; k < n; k++) {
        if (!last && cues[k].kind != FZ__CUE_CODE)
            continue;
        unsigned b = (unsigned char)cues[k].s[last ? cues[k].len - 1 : 0];
        size_t at = fill[b]++;
        /* insertion keeps each bucket sorted by length, longest first */
        while (at > bucket[b] && cues[order[at - 1]].len < cues[k].len) {
            order[at] = order[at - 1];
            at--;
        }
        order[at] = (uint8_t)k;
    }
}

static void pair_set(uint8_t *map, unsigned a, unsigned b)
{
    unsigned k = a << 8 | b;
    map[k >> 3] = (uint8_t)(map[k >> 3] | 1u << (k & 7));
}

static void index_pairs(struct fz__cue_index *ix)
{
    memset(ix->end_pair, 0, sizeof ix->end_pair);
    memset(ix->start_pair, 0, sizeof ix->start_pair);
    for (size_t k = 0; k < sizeof cues / sizeof *cues; k++) {
        const unsigned char *s = (const unsigned char *)cues[k].s;
        size_t n = cues[k].len;
        for (unsigned a = 0; a < 256; a++) {
            /* a one-byte cue ends after any byte; the same for the text's first byte */
            if (n == 1 || a == s[n - 2])
                pair_set(ix->end_pair, a, s[n - 1]);
            if (cues[k].kind == FZ__CUE_CODE && (n == 1 || a == s[1]))
                pair_set(ix->start_pair, s[0], a);
        }
    }
}

void fz__extract_cue_index_build(struct fz__cue_index *ix)
{
    index_by(ix->by_last, ix->last_order, true);
    index_by(ix->by_first, ix->first_order, false);
    index_pairs(ix);
}

/* A cue of ASCII letters matches only as a whole word. */
static bool word_ok(const struct fz__extract_state *st, const struct fz__cue *c, size_t s)
{
    if (fz__is_alpha(c->s[0]) && s > 0 && fz__is_alpha(st->t[s - 1]))
        return false;
    size_t e = s + c->len;
    return !(fz__is_alpha(c->s[c->len - 1]) && e < st->len && fz__is_alpha(st->t[e]));
}

/* The longest cue that ends exactly at p, or NULL. */
static inline const struct fz__cue *cue_ending(const struct fz__extract_state *st, size_t p)
{
    const struct fz__cue_index *ix = &st->x->cues;
    unsigned b = (unsigned char)st->t[p - 1];
    if (p >= 2 && !fz__pair_set(ix->end_pair, (unsigned char)st->t[p - 2], (unsigned char)b))
        return NULL;
    for (size_t k = ix->by_last[b]; k < ix->by_last[b + 1]; k++) {
        const struct fz__cue *c = &cues[ix->last_order[k]];
        if (c->len <= p - st->floor && st->t[p - c->len] == c->s[0] &&
            (c->len < 2 || st->t[p - 2] == c->s[c->len - 2]) &&
            !memcmp(st->t + p - c->len, c->s, c->len) && word_ok(st, c, p - c->len))
            return c;
    }
    return NULL;
}

/* Where a look back stops: another number or the end of a sentence. */
static bool stops_lookback(const char *t, size_t p)
{
    char c = t[p - 1];
    if (fz__is_digit(c) || c == '\n' || c == '\r' || c == '!' || c == '?' || c == ';')
        return true;
    /* 。 is E3 80 82 */
    return (unsigned char)c == 0x82 && p >= 3 && (unsigned char)t[p - 3] == 0xE3 &&
           (unsigned char)t[p - 2] == 0x80;
}

struct fz__cue_hit fz__extract_cue_before(const struct fz__extract_state *st, size_t s)
{
    size_t lim = s > FZ__CUE_WINDOW ? s - FZ__CUE_WINDOW : 0;
    if (lim < st->floor)
        lim = st->floor;
    for (size_t p = s; p > lim; p--) {
        /* a cue ends where a character ends: not before a continuation byte */
        if (p < st->len && ((unsigned char)st->t[p] & 0xC0) == 0x80)
            continue;
        const struct fz__cue *c = cue_ending(st, p);
        if (c)
            return (struct fz__cue_hit){(enum fz__cue_kind)c->kind, p - c->len, p};
        if (stops_lookback(st->t, p))
            break;
    }
    return (struct fz__cue_hit){FZ__CUE_NONE, s, s};
}

bool fz__extract_cue_ends_at(const struct fz__extract_state *st, size_t s)
{
    return s > st->floor && cue_ending(st, s) != NULL;
}

bool fz__extract_contact_cue_at(const struct fz__extract_state *st, size_t s)
{
    if (s >= st->len || !fz__is_alpha(st->t[s]))
        return false;
    for (size_t k = 0; k < sizeof cues / sizeof *cues; k++) {
        const struct fz__cue *c = &cues[k];
        if ((c->kind == FZ__CUE_PHONE || c->kind == FZ__CUE_QQ || c->kind == FZ__CUE_WECHAT) &&
            fz__is_alpha(c->s[0]) && c->len <= st->len - s && !memcmp(st->t + s, c->s, c->len) &&
            word_ok(st, c, s))
            return true;
    }
    return false;
}

bool fz__extract_code_after(const struct fz__extract_state *st, size_t e)
{
    const struct fz__cue_index *ix = &st->x->cues;
    size_t lim = e + FZ__CUE_AHEAD < st->len ? e + FZ__CUE_AHEAD : st->len;
    for (size_t p = e; p < lim; p++) {
        unsigned b = (unsigned char)st->t[p];
        if (fz__is_digit((char)b) || b == '\n' || b == '!' || b == '?' || b == ';' || b == ',')
            return false;
        /* 。 (E3 80 82) ends the sentence */
        if (b == 0xE3 && p + 2 < st->len && (unsigned char)st->t[p + 1] == 0x80 &&
            (unsigned char)st->t[p + 2] == 0x82)
            return false;
        if (p + 1 < st->len &&
            !fz__pair_set(ix->start_pair, (unsigned char)b, (unsigned char)st->t[p + 1]))
            continue;
        for (size_t k = ix->by_first[b]; k < ix->by_first[b + 1]; k++) {
            const struct fz__cue *c = &cues[ix->first_order[k]];
            if (c->len <= st->len - p && st->t[p + c->len - 1] == c->s[c->len - 1] &&
                !memcmp(st->t + p, c->s, c->len) && word_ok(st, c, p))
                return true;
        }
    }
    return false;
}
