/*
 * phone/risk: the prior risk of a number from its class and how it was written, before any
 * intelligence about the number itself (that is src/intel's job). Each reason adds its weight;
 * the sum is clamped to 100. The weights are priors, set from what anti-fraud centres report
 * as over-represented among fraud numbers, and documented in docs/internals/phone.md.
 */
#include "phone_int.h"

#include <string.h>

static const struct fz_reason r_mvno = {
    "phone.mvno", 25, "虚拟运营商号段，实名核验较弱，诈骗中常见",
    "virtual operator (MVNO) number range, often used in fraud"};
static const struct fz_reason r_170_171 = {
    "phone.mvno_170_171", 10, "170/171号段，诈骗高发",
    "170/171 range, the MVNO ranges most abused by fraudsters"};
static const struct fz_reason r_data = {"phone.data_sim", 20,
                                        "上网卡号段（145/147/149），正常不用于通话和短信",
                                        "data-only SIM range (145/147/149) used to call or text"};
static const struct fz_reason r_iot = {"phone.iot", 30, "物联网卡号段，不应与个人联系",
                                       "IoT (machine-to-machine) SIM number contacting a person"};
static const struct fz_reason r_intl = {"phone.international", 15, "境外号码",
                                        "number outside mainland China"};
static const struct fz_reason r_spoof = {
    "phone.service_spoof", 60, "服务号码前带国际前缀或国家码，疑似改号",
    "service number behind +86/00: service numbers are never dialled from abroad, "
    "so this looks spoofed"};
static const struct fz_reason r_padded = {
    "phone.padded_service", 50, "服务号码后加位，疑似冒充客服",
    "service number padded with extra digits, imitating a bank or operator"};
static const struct fz_reason r_ip = {"phone.ip_prefix", 10, "带IP长途拨号前缀",
                                      "operator IP-dialling prefix in front of the number"};
static const struct fz_reason r_cn = {"phone.cn_numerals", 20, "用汉字书写号码，疑似规避过滤",
                                      "written in Chinese numerals, a way to slip past filters"};
static const struct fz_reason r_fullwidth = {
    "phone.fullwidth", 10, "使用全角数字，疑似规避过滤",
    "written in full-width digits, a way to slip past filters"};

static void add(struct fz_phone *p, bool cond, const struct fz_reason *r)
{
    if (!cond || FZ_NEVER(p->nreasons >= FZ_PHONE_MAX_REASONS))
        return;
    p->reasons[p->nreasons++] = r;
    p->risk += r->weight;
}

void fz__phone_risk(struct fz_phone *p)
{
    p->risk = 0;
    p->nreasons = 0;
    if (!p->valid)
        return;
    uint32_t f = p->flags;
    bool from_abroad = f & (FZ_PHONE_HAD_PLUS | FZ_PHONE_HAD_00 | FZ_PHONE_HAD_COUNTRY_CODE);
    bool is_170_171 = memcmp(p->digits, "170", 3) == 0 || memcmp(p->digits, "171", 3) == 0;
    add(p, p->cls == FZ_PHONE_MVNO, &r_mvno);
    add(p, p->cls == FZ_PHONE_MVNO && is_170_171, &r_170_171);
    add(p, p->cls == FZ_PHONE_DATA, &r_data);
    add(p, p->cls == FZ_PHONE_IOT, &r_iot);
    add(p, p->cls == FZ_PHONE_INTERNATIONAL, &r_intl);
    add(p, p->cls == FZ_PHONE_SERVICE && from_abroad, &r_spoof);
    add(p, f & FZ_PHONE_PADDED_SERVICE, &r_padded);
    add(p, f & FZ_PHONE_HAD_IP_PREFIX, &r_ip);
    add(p, f & FZ_PHONE_HAD_CN_NUMERALS, &r_cn);
    add(p, f & FZ_PHONE_HAD_FULLWIDTH, &r_fullwidth);
    if (p->risk > 100)
        p->risk = 100;
}
