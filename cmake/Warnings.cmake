# Warning flags (STYLE.md §9). fz_strict_warnings(target) adds -Wconversion for core/ and the
# signal modules.
set(FZ_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
    -Wformat=2 -Wwrite-strings -Wundef)
if(FZ_WERROR)
  list(APPEND FZ_WARNINGS -Werror)
endif()
add_compile_options(${FZ_WARNINGS})

function(fz_strict_warnings target)
  target_compile_options(${target} PRIVATE -Wconversion -Wno-sign-conversion)
endfunction()

# fz_module(name [SOURCES...] LINK libs...): one static library per src/<module>, whose private
# include path is its own folder only, so an upward include fails to compile. Without SOURCES
# it takes every .c file of the folder.
function(fz_module name)
  cmake_parse_arguments(M "" "" "SOURCES;LINK" ${ARGN})
  if(NOT M_SOURCES)
    file(GLOB M_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
  endif()
  add_library(fz_${name} STATIC ${M_SOURCES})
  target_include_directories(fz_${name} PUBLIC ${FZ_INCLUDE_DIR}
                             PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR})
  target_link_libraries(fz_${name} PUBLIC ${M_LINK})
endfunction()
