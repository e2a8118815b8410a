/*
 * gen_sms: writes a deterministic SMS-like corpus for the benchmarks, one message per line.
 * Mixes ordinary messages, advertising and fraud scripts (written by the team, Chinese and
 * English), filled with phone numbers in many forms, URLs, amounts, card numbers, QQ and
 * WeChat IDs, with a share of disguised messages (separators, fullwidth, emoji padding,
 * Chinese numerals). Same seed, same file.
 * Usage: gen_sms [COUNT] [SEED]   (defaults 100000, 1)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"

static const char *pick(const char *const *a, size_t n) { return a[rnd() % n]; }
#define PICK(a) pick(a, sizeof(a) / sizeof *(a))

static const char *const templates[] = {
    "【%B】尊敬的客户，您的账户存在异常，请立即登录 %U 进行身份验证，否则将冻结。",
    "您好，我是%B客服，您在平台购买的商品质量问题需办理退款%A，请加微信 %W 处理。",
    "兼职刷单，日结%A，动动手指轻松赚钱，联系QQ %Q，名额有限！",
    "【公安局】您涉嫌一起洗钱案件，请立即拨打 %P 配合调查，并将资金转入安全账户。",
    "征信修复，逾期记录可消除，办理请致电 %P，包过。",
    "妈，我手机掉水里了，这是我新号码 %P，急用钱，先转%A到卡号 %C。",
    "明天下午三点开会，记得带上材料，有事打我电话 %P。",
    "您的快递已到达驿站，取件码 5-2-1003，请于今日 18:00 前领取。",
    "验证码 %V，您正在登录账户，请勿泄露给他人。",
    "本店新品上市，全场八折，详情见 %U，退订回T",
    "Your parcel is held at customs. Pay the fee of %A at %U within 24 hours.",
    "Hi, are we still on for dinner at 7? Call me at %P if you are late.",
    "Congratulations! You won a prize. Claim now: %U or text %P.",
    "注销校园贷需要清空额度，否则影响征信，请下载会议软件开启屏幕共享 %U",
    "投资理财导师带你稳赚，收益率30%%，加群联系 %W，首笔最低%A。",
    "订单号 %O 已发货，预计 2024-05-%D 送达，如有疑问联系客服 %S。",
    "老同学，我是王总，现在开会不方便，你先帮我转%A给对方账户 %C。",
    "您的ETC认证已过期，请点击 %U 重新认证，逾期将停用。",
};

/*
 * A template, with those that carry a URL drawn three times less often: in the public SMS
 * corpora (shared/data/canonical) 0.1-4% of messages hold a URL, and a corpus where a third
 * of them do would measure the URL parser rather than SMS screening. About 14% still do here.
 */
static const char *template(void)
{
    for (;;) {
        const char *t = PICK(templates);
        if (!strstr(t, "%U") || rnd() % 3 == 0)
            return t;
    }
}

static void phone(char *o, size_t n)
{
    static const char *const pre[] = {"138", "139", "150", "186", "170", "171", "165", "199"};
    unsigned a = rnd() % 10000, b = rnd() % 10000;
    switch (rnd() % 6) {
    case 0: snprintf(o, n, "%s%04u%04u", PICK(pre), a, b); break;
    case 1: snprintf(o, n, "%s %04u %04u", PICK(pre), a, b); break;
    case 2: snprintf(o, n, "+86-%s-%04u-%04u", PICK(pre), a, b); break;
    case 3: snprintf(o, n, "010-6%03u%04u", a % 1000, b); break;
    case 4: snprintf(o, n, "400-8%02u-%04u", a % 100, b); break;
    default: snprintf(o, n, "幺三八%04u%04u", a, b); break;
    }
}

static void url(char *o, size_t n)
{
    static const char *const fixed[] = {"http://icbc-vip.cc/login", "www.icbc.com.cn.verify.xyz/a",
                                        "paypa1.com/secure", "https://xn--alipy-5ra.com/"};
    unsigned v = rnd() % 1000;
    switch (rnd() % 8) {
    case 0: snprintf(o, n, "https://t.cn/A6x%u", v); break;
    case 1: snprintf(o, n, "http://192.168.%u.7:8080/pay", v % 256); break;
    case 2: snprintf(o, n, "https://www.taobao.com/item/%u", v); break;
    case 3: snprintf(o, n, "jd-vip%u.top", v); break;
    default: snprintf(o, n, "%s", PICK(fixed)); break;
    }
}

static void card(char *o, size_t n)
{
    /* a Luhn-valid 19-digit UnionPay-like number */
    char d[20];
    d[0] = '6', d[1] = '2';
    for (int i = 2; i < 18; i++)
        d[i] = (char)('0' + rnd() % 10);
    int sum = 0;
    for (int i = 17, dbl = 1; i >= 0; i--, dbl = !dbl) {
        int v = d[i] - '0';
        if (dbl && (v *= 2) > 9)
            v -= 9;
        sum += v;
    }
    d[18] = (char)('0' + (10 - sum % 10) % 10);
    d[19] = '\0';
    snprintf(o, n, "%.4s %.4s %.4s %.4s %.3s", d, d + 4, d + 8, d + 12, d + 16);
}

static void fill(char *o, size_t n, char code)
{
    static const char *const banks[] = {"工商银行", "建设银行", "支付宝", "京东", "顺丰"};
    static const char *const amounts[] = {"5000元", "¥1,299.50", "3.5万", "200块", "RMB 800"};
    static const char *const wx[] = {"kefu_8899", "vx13800", "wxid_ab12cd", "licai2024"};
    switch (code) {
    case 'P': phone(o, n); break;
    case 'U': url(o, n); break;
    case 'C': card(o, n); break;
    case 'B': snprintf(o, n, "%s", PICK(banks)); break;
    case 'A': snprintf(o, n, "%s", PICK(amounts)); break;
    case 'W': snprintf(o, n, "%s", PICK(wx)); break;
    case 'Q': snprintf(o, n, "%u", 10000 + rnd() % 900000000); break;
    case 'V': snprintf(o, n, "%06u", rnd() % 1000000); break;
    case 'O': snprintf(o, n, "2024%012u", rnd()); break;
    case 'D': snprintf(o, n, "%02u", 1 + rnd() % 28); break;
    case '%': snprintf(o, n, "%%"); break;
    case 'S': snprintf(o, n, "95%03u", rnd() % 1000); break;
    default: snprintf(o, n, "%%%c", code); break;
    }
}

/* Disguises a message the way fraudsters do: spaces or dots between characters. */
static void disguise(const char *in, char *o, size_t n)
{
    static const char *const seps[] = {" ", "*", "·", "\xE2\x80\x8B", "\xF0\x9F\x8C\xB8"};
    const char *sep = PICK(seps);
    size_t k = 0, sl = strlen(sep);
    for (const unsigned char *p = (const unsigned char *)in; *p && k + 8 + sl < n;) {
        size_t len = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        memcpy(o + k, p, len);
        k += len;
        p += len;
        if (len == 3 && rnd() % 3 == 0) {
            memcpy(o + k, sep, sl);
            k += sl;
        }
    }
    o[k] = '\0';
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    rnd_seed(argc > 2 ? strtoull(argv[2], NULL, 10) : 1);
    char msg[1024], out[2048], val[128];
    for (long i = 0; i < count; i++) {
        const char *t = template();
        size_t k = 0;
        for (const char *p = t; *p && k < sizeof msg - 130; p++) {
            if (*p == '%' && p[1]) {
                fill(val, sizeof val, *++p);
                k += (size_t)snprintf(msg + k, sizeof msg - k, "%s", val);
            } else {
                msg[k++] = *p;
            }
        }
        msg[k] = '\0';
        if (rnd() % 5 == 0) {
            disguise(msg, out, sizeof out);
            puts(out);
        } else {
            puts(msg);
        }
    }
    return 0;
}
