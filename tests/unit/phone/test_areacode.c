/* Unit tests for src/phone/areacode.c. The .c is included to reach its table: it must be
 * sorted and without duplicates for the binary search, and every entry must be found. */
#include "support.h"

#include "areacode.c"

#include <string.h>

static size_t area_len(const char *d) { return fz__phone_area_len(d, strlen(d)); }

static void test_table_sorted(void **state)
{
    (void)state;
    size_t n = sizeof codes3 / sizeof codes3[0];
    for (size_t i = 1; i < n; i++)
        if (codes3[i - 1] >= codes3[i])
            fail_msg("codes3[%zu] = %u is not above %u", i, codes3[i], codes3[i - 1]);
    for (size_t i = 0; i < n; i++) {
        char d[16];
        assert_in_range(codes3[i], 300, 999);
        snprintf(d, sizeof d, "%u1234", codes3[i]);
        assert_int_equal(area_len(d), 3);
    }
}

static void test_two_digit(void **state)
{
    (void)state;
    static const char *const two[] = {"10", "20", "21", "22", "23", "24", "25", "27", "28", "29"};
    for (size_t i = 0; i < sizeof two / sizeof two[0]; i++) {
        char d[16];
        snprintf(d, sizeof d, "%s123", two[i]);
        assert_int_equal(area_len(d), 2);
    }
    assert_int_equal(area_len("26123"), 0); /* not assigned on the mainland */
    for (int v = 11; v <= 19; v++) {
        char d[16];
        snprintf(d, sizeof d, "%d123", v);
        assert_int_equal(area_len(d), 0);
    }
}

/* Real codes of every province, and codes that do not exist or were retired. */
static void test_real_and_fake(void **state)
{
    (void)state;
    static const char *const real[] = {
        "311", "335", "351", "371", "377", "398", "411", "431", "439", "451", "471", "475",
        "483", "512", "531", "551", "571", "591", "631", "660", "691", "701", "710", "728",
        "731", "755", "769", "771", "791", "812", "839", "851", "871", "888", "891", "898",
        "901", "911", "931", "943", "951", "971", "979", "991", "999",
    };
    static const char *const fake[] = {
        "300", "320", "330", "340", "360", "380", "390", "397", "400", "420", "440", "460",
        "480", "500", "520", "540", "560", "581", "590", "600", "630", "640", "650", "661",
        "700", "720", "732", "733", "765", "780", "800", "810", "820", "840", "850", "860",
        "880", "890", "899", "900", "910", "920", "940", "950", "960", "978", "980",
    };
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
        if (area_len(real[i]) != 3)
            fail_msg("0%s should be a real area code", real[i]);
    for (size_t i = 0; i < sizeof fake / sizeof fake[0]; i++)
        if (area_len(fake[i]) != 0)
            fail_msg("0%s should not be an area code", fake[i]);
}

static void test_short_input(void **state)
{
    (void)state;
    assert_int_equal(fz__phone_area_len("", 0), 0);
    assert_int_equal(fz__phone_area_len("3", 1), 0);
    assert_int_equal(fz__phone_area_len("31", 2), 0);
    assert_int_equal(fz__phone_area_len("10", 2), 2);
    assert_int_equal(fz__phone_area_len("011", 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_sorted),
        cmocka_unit_test(test_two_digit),
        cmocka_unit_test(test_real_and_fake),
        cmocka_unit_test(test_short_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
