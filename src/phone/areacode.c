/*
 * phone/areacode: the long-distance area codes (长途区号) of mainland China, so that a landline
 * is only accepted under a code that exists. Two-digit codes are 010 and 020-029 (026 is not
 * assigned on the mainland); every other code has three digits after the trunk 0. The list
 * follows MIIT's area code assignments by prefecture, after the merges of 2007 (0732/0733 into
 * 0731, 0890/0899 into 0898, 0765 into 0757).
 */
#include "phone_int.h"

/* Three-digit area codes without the trunk 0, sorted (0311 is 311). 0565 (巢湖) and 0634
 * (莱芜) were folded into their neighbours' codes when the cities merged, but numbers under
 * them still circulate on signs and in records, so they stay accepted. */
/* clang-format off */
static const uint16_t codes3[] = {
    /* 河北 */ 310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 335,
    /* 山西 */ 349, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359,
    /* 河南 */ 370, 371, 372, 373, 374, 375, 376, 377, 378, 379, 391, 392, 393, 394, 395, 396,
    398,
    /* 辽宁 */ 410, 411, 412, 413, 414, 415, 416, 417, 418, 419, 421, 427, 429,
    /* 吉林 */ 431, 432, 433, 434, 435, 436, 437, 438, 439,
    /* 黑龙江 */ 451, 452, 453, 454, 455, 456, 457, 458, 459, 464, 467, 468, 469,
    /* 内蒙古 */ 470, 471, 472, 473, 474, 475, 476, 477, 478, 479, 482, 483,
    /* 江苏 */ 510, 511, 512, 513, 514, 515, 516, 517, 518, 519, 523, 527,
    /* 山东 */ 530, 531, 532, 533, 534, 535, 536, 537, 538, 539, 543, 546,
    /* 安徽 */ 550, 551, 552, 553, 554, 555, 556, 557, 558, 559, 561, 562, 563, 564, 565, 566,
    /* 浙江 */ 570, 571, 572, 573, 574, 575, 576, 577, 578, 579, 580,
    /* 福建 */ 591, 592, 593, 594, 595, 596, 597, 598, 599,
    /* 山东 */ 631, 632, 633, 634, 635,
    /* 广东 */ 660, 662, 663, 668,
    /* 云南 */ 691, 692,
    /* 江西 */ 701,
    /* 湖北 */ 710, 711, 712, 713, 714, 715, 716, 717, 718, 719, 722, 724, 728,
    /* 湖南 */ 730, 731, 734, 735, 736, 737, 738, 739, 743, 744, 745, 746,
    /* 广东 */ 750, 751, 752, 753, 754, 755, 756, 757, 758, 759, 760, 762, 763, 766, 768, 769,
    /* 广西 */ 770, 771, 772, 773, 774, 775, 776, 777, 778, 779,
    /* 江西 */ 790, 791, 792, 793, 794, 795, 796, 797, 798, 799,
    /* 四川 */ 812, 813, 816, 817, 818, 825, 826, 827, 830, 831, 832, 833, 834, 835, 836, 837,
    838, 839,
    /* 贵州 */ 851, 852, 853, 854, 855, 856, 857, 858, 859,
    /* 云南 */ 870, 871, 872, 873, 874, 875, 876, 877, 878, 879, 883, 886, 887, 888,
    /* 西藏 */ 891, 892, 893, 894, 895, 896, 897,
    /* 海南 */ 898,
    /* 新疆 */ 901, 902, 903, 906, 908, 909,
    /* 陕西 */ 911, 912, 913, 914, 915, 916, 917, 919,
    /* 甘肃 */ 930, 931, 932, 933, 934, 935, 936, 937, 938, 939, 941, 943,
    /* 宁夏 */ 951, 952, 953, 954, 955,
    /* 青海 */ 970, 971, 972, 973, 974, 975, 976, 977, 979,
    /* 新疆 */ 990, 991, 992, 993, 994, 995, 996, 997, 998, 999,
};
/* clang-format on */

static bool has_code3(unsigned code)
{
    size_t lo = 0, hi = sizeof codes3 / sizeof codes3[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (codes3[mid] == code)
            return true;
        if (codes3[mid] < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

size_t fz__phone_area_len(const char *d, size_t n)
{
    if (n < 2)
        return 0;
    if (d[0] == '1')
        return d[1] == '0' ? 2 : 0;
    if (d[0] == '2')
        return d[1] != '6' ? 2 : 0;
    if (n < 3 || d[0] == '0')
        return 0;
    unsigned code =
        (unsigned)(d[0] - '0') * 100 + (unsigned)(d[1] - '0') * 10 + (unsigned)(d[2] - '0');
    return has_code3(code) ? 3 : 0;
}
