#!/usr/bin/env bash
# Source checks run by `make test` (STYLE.md §5, §11): banned functions, bare malloc outside
# core/, side effects inside assert(), and upward includes between the layers.
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0
say() { echo "check-source: $*"; fail=1; }

files=$(git ls-files 'src/*.c' 'src/*.h' 2>/dev/null || find src -name '*.[ch]')
[ -n "$files" ] || exit 0

banned='\b(atoi|atol|strtok|sprintf|vsprintf|strcpy|strcat|gets)[[:space:]]*\('
if hits=$(grep -nE "$banned" $files | grep -v 'NOLINT'); then
  say "banned functions:"; echo "$hits"
fi
if hits=$(grep -nE '(^|[^_a-z])(malloc|calloc|realloc|free)[[:space:]]*\(' $(echo "$files" | grep -v '^src/core/' | grep -v '^src/text/gen_') | grep -vE 'fz_(malloc|calloc|realloc|free)|\.free|->free|NOLINT'); then
  say "bare malloc/free outside src/core (use fz_malloc/fz_free):"; echo "$hits"
fi
if hits=$(grep -nE '\bassert[[:space:]]*\(.*(\+\+|--|[^=!<>]=[^=])' $files); then
  say "assert() with a side effect:"; echo "$hits"
fi
# Arrows point down: signals never include engines, server, store or cli.
for m in core text phone url extract rules model intel; do
  [ -d "src/$m" ] || continue
  if hits=$(grep -rnE '#include +"(fangzha/)?(server|store|cli|screen|calls|trace|link)[/.]' "src/$m"); then
    say "upward include in src/$m:"; echo "$hits"
  fi
done
# Engines never include the server, the store or the command line.
for m in screen calls trace link; do
  [ -d "src/$m" ] || continue
  if hits=$(grep -rnE '#include +"(server|store|cli)/' "src/$m"); then
    say "upward include in src/$m:"; echo "$hits"
  fi
done
# Only the store's backends speak SQL; only the server speaks HTTP.
if hits=$(git grep -nE '#include +<sqlite3\.h>' -- 'src/*' 'include/*' | grep -v '^src/store/sqlite/'); then
  say "sqlite3.h outside src/store/sqlite:"; echo "$hits"
fi
if hits=$(git grep -nE '#include +<microhttpd\.h>' -- 'src/*' 'include/*' | grep -v '^src/server/'); then
  say "microhttpd.h outside src/server:"; echo "$hits"
fi
if hits=$(git grep -nE '#include +"fangzha/store\.h"' -- 'src/*' 'include/*' | grep -vE '^src/(store|server|cli)/'); then
  say "fangzha/store.h outside store, server and cli:"; echo "$hits"
fi
# Formatting (.clang-format): generated files live in the build tree, so every tracked C file
# is checked.
c_files=$(git ls-files 'src/*.[ch]' 'include/*.h' 'tests/unit/*.c' 'tests/support/*.[ch]' 'fuzz/*.c' 'bench/*.c' 'bench/gen/*.c' 2>/dev/null)
if ! command -v clang-format >/dev/null; then
  say "clang-format is not installed (scripts/deps.sh installs it)"
elif ! clang-format --dry-run -Werror $c_files >/dev/null 2>&1; then
  say "not clang-formatted (run: clang-format -i FILES):"
  clang-format --dry-run $c_files 2>&1 | grep -oE '^[^:]+\.[ch]' | sort -u
fi
[ $fail -eq 0 ] && echo "check-source: ok"
exit $fail
