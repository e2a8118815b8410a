/*
 * disguise: rewrites messages the way fraudsters disguise them, to test that detection
 * survives obfuscation (issue: recall may drop by at most 2 points). Reads the canonical TSV
 * layout (label, channel, text) on stdin and writes the same layout with each text disguised
 * by one or more of: separators between Chinese characters, fullwidth ASCII, Cyrillic/Greek
 * homoglyphs for Latin letters, Chinese numerals for digits, emoji padding, and traditional
 * characters (OpenCC s2t). Deterministic: the same seed and input give the same output.
 * Usage: disguise [--seed N] [--only KIND[,KIND...]] < in.tsv > out.tsv
 *   KIND: sep fullwidth homoglyph numerals emoji traditional (default: a random mix)
 */
#define _POSIX_C_SOURCE 200809L
#include <opencc/opencc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rnd.h"

enum { SEP = 1, FULLWIDTH = 2, HOMOGLYPH = 4, NUMERALS = 8, EMOJI = 16, TRADITIONAL = 32 };
static const char *const kind_names[] = {"sep",      "fullwidth", "homoglyph",
                                         "numerals", "emoji",     "traditional"};

/* A growable output string. */
struct out {
    char *p;
    size_t len, cap;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = realloc(o->p, o->cap);
        if (!o->p)
            abort();
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static size_t utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

static bool is_cjk3(const unsigned char *s) { return s[0] >= 0xE4 && s[0] <= 0xE9; }

/* Latin letters and the Cyrillic or Greek letters that look like them. */
static const char *homoglyph(char c)
{
    switch (c) {
    case 'a': return "\xD0\xB0"; /* а */
    case 'c': return "\xD1\x81"; /* с */
    case 'e': return "\xD0\xB5"; /* е */
    case 'o': return "\xD0\xBE"; /* о */
    case 'p': return "\xD1\x80"; /* р */
    case 'x': return "\xD1\x85"; /* х */
    case 'y': return "\xD1\x83"; /* у */
    case 'i': return "\xD1\x96"; /* і */
    case 'A': return "\xCE\x91"; /* Α */
    case 'B': return "\xCE\x92"; /* Β */
    case 'E': return "\xCE\x95"; /* Ε */
    case 'O': return "\xCE\x9F"; /* Ο */
    case 'T': return "\xCE\xA4"; /* Τ */
    default: return NULL;
    }
}

static const char *numeral(char d)
{
    static const char *const a[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const b[] = {"〇", "幺", "两", "叁", "肆", "伍", "陆", "拐", "捌", "玖"};
    return (rnd() % 3 ? a : b)[d - '0'];
}

static void disguise_text(const char *in, unsigned kinds, struct out *o)
{
    static const char *const seps[] = {" ", "*", "·", "|", "\xE2\x80\x8B", "　"};
    static const char *const emoji[] = {"\xF0\x9F\x94\xA5", "\xF0\x9F\x8C\xB8", "\xE2\x9C\xA8",
                                        "\xF0\x9F\x92\xB0"};
    const char *sep = seps[rnd() % 6];
    const unsigned char *s = (const unsigned char *)in;
    while (*s) {
        size_t n = utf8_len(*s);
        if (strnlen((const char *)s, n) < n)
            n = 1;
        char c = (char)*s;
        const char *h;
        if (n == 1 && (kinds & NUMERALS) && c >= '0' && c <= '9') {
            put(o, numeral(c), strlen(numeral(c)));
        } else if (n == 1 && (kinds & HOMOGLYPH) && (h = homoglyph(c)) && rnd() % 2) {
            put(o, h, strlen(h));
        } else if (n == 1 && (kinds & FULLWIDTH) && c > 0x20 && c < 0x7F) {
            unsigned cp = 0xFF01u + (unsigned)(c - 0x21);
            char fw[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                          (char)(0x80 | (cp & 0x3F))};
            put(o, fw, 3);
        } else {
            put(o, (const char *)s, n);
        }
        bool next_cjk = n == 3 && is_cjk3(s) && s[3] && is_cjk3(s + 3);
        if (next_cjk && (kinds & SEP) && rnd() % 2)
            put(o, sep, strlen(sep));
        else if (next_cjk && (kinds & EMOJI) && rnd() % 4 == 0) {
            const char *e = emoji[rnd() % 4];
            put(o, e, strlen(e));
        }
        s += n;
    }
}

static unsigned parse_kinds(const char *list)
{
    unsigned k = 0;
    char *copy = strdup(list), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        unsigned bit = 0;
        for (unsigned i = 0; i < 6; i++)
            if (!strcmp(t, kind_names[i]))
                bit = 1u << i;
        if (!bit) {
            fprintf(stderr, "disguise: unknown kind '%s'\n", t);
            exit(2);
        }
        k |= bit;
    }
    free(copy);
    return k;
}

int main(int argc, char **argv)
{
    unsigned only = 0;
    rnd_seed(1);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc)
            rnd_seed(strtoull(argv[++i], NULL, 10));
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = parse_kinds(argv[++i]);
        else {
            fprintf(stderr, "usage: disguise [--seed N] [--only KIND[,KIND...]] < in.tsv\n"
                            "kinds: sep fullwidth homoglyph numerals emoji traditional\n");
            return 2;
        }
    }
    opencc_t s2t = opencc_open("s2t.json");
    if (s2t == (opencc_t)-1) {
        fprintf(stderr, "disguise: cannot open OpenCC's s2t.json\n");
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    bool header = true;
    struct out o = {0};
    while ((len = getline(&line, &cap, stdin)) >= 0) {
        if (len && line[len - 1] == '\n')
            line[--len] = '\0';
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (header || !t2) { /* the header and malformed rows pass through */
            puts(line);
            header = false;
            continue;
        }
        unsigned kinds = only ? only : (1u + rnd() % 63u);
        const char *text = t2 + 1;
        char *trad = NULL;
        if (kinds & TRADITIONAL)
            text = trad = opencc_convert_utf8(s2t, text, strlen(text));
        o.len = 0;
        disguise_text(text, kinds, &o);
        printf("%.*s%s\n", (int)(t2 + 1 - line), line, o.p ? o.p : "");
        if (trad)
            opencc_convert_utf8_free(trad);
    }
    free(o.p);
    free(line);
    opencc_close(s2t);
    return 0;
}
