# FZ_BUILD_FUZZERS: libFuzzer drivers under fuzz/, built with clang. fz_fuzzer(name libs...)
# adds fuzz_<name> from fuzz/fuzz_<name>.c.
if(FZ_BUILD_FUZZERS)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "FZ_BUILD_FUZZERS needs clang (CC=clang)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
