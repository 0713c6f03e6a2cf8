#!/usr/bin/env bash
# The C checks (`npm run test:c`):
#   1. test/c/test-reparse.c built with gcc -Wall -Wextra -Werror, run;
#   2. the same built with clang ASan + UBSan, run;
#   3. test-reparse under valgrind;
#   4. the libFuzzer harnesses (libFuzzer + ASan + UBSan), each for
#      FUZZ_SECONDS after replaying its seeds: fuzz-reparse (src/reparse.c,
#      seeded with the hand-made vectors of test-reparse), fuzz-path
#      (src/win/path.c built on Linux through test/c/winshim/),
#      fuzz-mountinfo (src/unix/fsname.c), fuzz-common (src/common.c) and
#      fuzz-binding (src/binding.c against a fake Node-API), seeded from
#      test/c/corpus/<name>/ (regression inputs included);
#   5. every portable and POSIX C file through gcc -fsyntax-only, and every
#      portable and Windows C file through x86_64-w64-mingw32-gcc
#      -fsyntax-only, both with -Wall -Wextra -Werror;
#   6. the Windows sources (src/win/*.c, src/reparse.c, src/common.c) once
#      more through mingw with -std=c90 -pedantic -Werror, Node's headers as
#      system headers (-isystem), so that what only MSVC would reject shows
#      here; and each of them includes the standard header of the C library
#      functions it calls (<stdlib.h> for malloc/free, <string.h>, <wchar.h>),
#      not relying on <windows.h> to bring it in as mingw's does (MSVC's, on
#      ARM64 at least, may not). src/binding.c is left out of the C90 pass:
#      it uses C99 initializers that MSVC accepts.
# Exits non-zero if any step fails.
#
# Debian packages: gcc, clang (clang-14), libclang-rt-14-dev (libFuzzer and
# the sanitizer runtimes), valgrind, gcc-mingw-w64-x86-64, and Node's
# headers in /usr/include/node (or set NODE_API_INCLUDE).
#
# FUZZ_SECONDS (default 12: five fuzzers, a minute) bounds each fuzzer's
# run; 0 replays the seeds only.
set -uo pipefail

cd "$(dirname "$0")/.."

NODE_API_INCLUDE=${NODE_API_INCLUDE:-/usr/include/node}
FUZZ_SECONDS=${FUZZ_SECONDS:-12}
MINGW_CC=${MINGW_CC:-x86_64-w64-mingw32-gcc}
GCC=${GCC:-gcc}
if [ -z "${CLANG:-}" ]; then
  CLANG=clang
  command -v clang >/dev/null 2>&1 || CLANG=clang-14
fi

WARN=(-std=c11 -Wall -Wextra -Werror)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sd-test-c.XXXXXX")
keep_tmp=0
cleanup() { [ "$keep_tmp" = 1 ] || rm -rf "$tmp"; }
trap cleanup EXIT

failures=()
step() { echo; echo "== $*"; }
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*" >&2; failures+=("$*"); }
need() {
  # need TOOL PACKAGE
  if ! command -v "$1" >/dev/null 2>&1; then
    fail "$1 not found (Debian package: $2)"
    return 1
  fi
}

# --- 1. gcc ---------------------------------------------------------------
step "test-reparse (gcc -Wall -Wextra -Werror)"
if need "$GCC" gcc; then
  if "$GCC" "${WARN[@]}" -g -O1 -Isrc -o "$tmp/test-reparse" \
      src/reparse.c test/c/test-reparse.c; then
    if "$tmp/test-reparse"; then ok "test-reparse (gcc)"
    else fail "test-reparse (gcc) reported failures"; fi
  else
    fail "test-reparse does not build with gcc"
  fi
fi

# --- 2. clang ASan + UBSan ---------------------------------------------------
step "test-reparse (clang ASan + UBSan)"
if need "$CLANG" clang; then
  if "$CLANG" "${WARN[@]}" -g -O1 -fno-omit-frame-pointer \
      -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc \
      -o "$tmp/test-reparse-asan" src/reparse.c test/c/test-reparse.c; then
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$tmp/test-reparse-asan"; then
      ok "test-reparse (ASan + UBSan)"
    else
      fail "test-reparse (ASan + UBSan)"
    fi
  else
    fail "test-reparse does not build with clang sanitizers" \
      "(Debian package: libclang-rt-14-dev)"
  fi
fi

# --- 3. valgrind -------------------------------------------------------------
step "test-reparse under valgrind"
if need valgrind valgrind && [ -x "$tmp/test-reparse" ]; then
  if valgrind -q --error-exitcode=1 --leak-check=full \
      --errors-for-leak-kinds=definite "$tmp/test-reparse"; then
    ok "valgrind"
  else
    fail "valgrind found errors in test-reparse"
  fi
fi

# --- 4. libFuzzer ------------------------------------------------------------
# fuzz_one NAME SEED_DIR... -- SOURCES AND FLAGS...
# Builds test/c/NAME.c with libFuzzer + ASan + UBSan, replays the seeds
# (hand-made ones and the regression inputs in test/c/corpus/NAME/), then
# fuzzes for FUZZ_SECONDS (0: the seeds only). Any crash, leak, sanitizer
# report or broken invariant (abort) fails the step; the inputs are kept.
fuzz_one() {
  local name=$1 seeds=() limit=() log
  shift
  while [ "$1" != "--" ]; do
    [ -d "$1" ] && seeds+=("$1")
    shift
  done
  shift
  log="$tmp/$name.log"
  if [ "$FUZZ_SECONDS" -gt 0 ] 2>/dev/null; then
    step "$name for ${FUZZ_SECONDS}s"
    limit=(-max_total_time="$FUZZ_SECONDS")
  else
    step "$name (seeds only)"
    limit=(-runs=0)
  fi
  mkdir -p "$tmp/$name-corpus" "$tmp/$name-artifacts"
  if ! "$CLANG" -std=c11 -Wall -Wextra -Werror -g -O1 \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
      -Isrc -o "$tmp/$name" "$@"; then
    fail "$name does not build (Debian package: libclang-rt-14-dev)"
    return
  fi
  if "$tmp/$name" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$tmp/$name-artifacts/" \
      "$tmp/$name-corpus" "${seeds[@]}" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^Done' "$log" || true
    ok "$name"
  else
    tail -n 60 "$log" >&2
    for a in "$tmp/$name-artifacts"/*; do
      [ -f "$a" ] || continue
      echo "crashing input $a:" >&2
      od -A d -t x1 "$a" | head -n 40 >&2
    done
    keep_tmp=1
    fail "$name found a crash (log $log, inputs in $tmp/$name-artifacts)"
  fi
}

if ! command -v "$CLANG" >/dev/null 2>&1; then
  fail "fuzzers not run (needs $CLANG)"
else
  # src/reparse.c, seeded with the hand-made vectors of test-reparse.
  mkdir -p "$tmp/reparse-seeds"
  if [ -x "$tmp/test-reparse" ] &&
      "$tmp/test-reparse" --write-corpus "$tmp/reparse-seeds"; then
    fuzz_one fuzz-reparse "$tmp/reparse-seeds" -- \
      src/reparse.c test/c/fuzz-reparse.c
  else
    fail "fuzz-reparse not run (needs a built test-reparse for its seeds)"
  fi
  # src/win/path.c + error.c on Linux, through test/c/winshim/windows.h;
  # -fshort-wchar makes WCHAR 16 bits as on Windows.
  fuzz_one fuzz-path test/c/corpus/fuzz-path -- -fshort-wchar \
    -Itest/c/winshim test/c/fuzz-path.c src/common.c src/reparse.c
  # The mountinfo reader of src/unix/fsname.c.
  fuzz_one fuzz-mountinfo test/c/corpus/fuzz-mountinfo -- -D_GNU_SOURCE \
    test/c/fuzz-mountinfo.c src/common.c
  # src/common.c: probe names, facts, error names.
  fuzz_one fuzz-common test/c/corpus/fuzz-common -- \
    test/c/fuzz-common.c src/common.c
  # src/binding.c against a fake of Node-API and of the core.
  fuzz_one fuzz-binding test/c/corpus/fuzz-binding -- -DNAPI_VERSION=8 \
    -I"$NODE_API_INCLUDE" test/c/fuzz-binding.c src/binding.c src/common.c
fi

# --- 5. syntax of every C file -------------------------------------------------
step "gcc -fsyntax-only: portable + POSIX sources"
posix=(src/common.c src/reparse.c test/c/*.c)
missing_posix=()
for f in src/binding.c src/unix/*.c; do
  if [ -f "$f" ]; then posix+=("$f"); else missing_posix+=("$f"); fi
done
if [ ${#missing_posix[@]} -gt 0 ]; then
  echo "skipped (not written yet): ${missing_posix[*]}"
fi
if command -v "$GCC" >/dev/null 2>&1; then
  posix_ok=1
  for f in "${posix[@]}"; do
    # test/c/winshim: the <windows.h> stand-in of fuzz-path.c.
    "$GCC" "${WARN[@]}" -fsyntax-only -D_GNU_SOURCE -DNAPI_VERSION=8 \
      -I"$NODE_API_INCLUDE" -Isrc -Itest/c/winshim "$f" ||
      { posix_ok=0; fail "gcc: $f"; }
  done
  [ "$posix_ok" = 1 ] && ok "${#posix[@]} files"
fi

step "$MINGW_CC -fsyntax-only: portable + Windows sources"
if need "$MINGW_CC" gcc-mingw-w64-x86-64; then
  win=(src/common.c src/reparse.c)
  [ -f src/binding.c ] && win+=(src/binding.c) ||
    echo "skipped (not written yet): src/binding.c"
  for f in src/win/*.c; do [ -f "$f" ] && win+=("$f"); done
  win_ok=1
  for f in "${win[@]}"; do
    "$MINGW_CC" "${WARN[@]}" -fsyntax-only -DNAPI_VERSION=8 -DUNICODE \
      -D_UNICODE -DWIN32_LEAN_AND_MEAN -I"$NODE_API_INCLUDE" -Isrc "$f" ||
      { win_ok=0; fail "mingw: $f"; }
  done
  [ "$win_ok" = 1 ] && ok "${#win[@]} files"
fi

step "$MINGW_CC -std=c90 -pedantic: Windows sources, Node headers as system headers"
if command -v "$MINGW_CC" >/dev/null 2>&1; then
  c90=(src/common.c src/reparse.c)
  for f in src/win/*.c; do [ -f "$f" ] && c90+=("$f"); done
  c90_ok=1
  for f in "${c90[@]}"; do
    "$MINGW_CC" -std=c90 -pedantic -Wall -Wextra -Werror -fsyntax-only \
      -DNAPI_VERSION=8 -DUNICODE -D_UNICODE -DWIN32_LEAN_AND_MEAN \
      -isystem "$NODE_API_INCLUDE" -Isrc "$f" ||
      { c90_ok=0; fail "mingw -std=c90 -pedantic: $f"; }
  done
  [ "$c90_ok" = 1 ] && ok "${#c90[@]} files"
fi

step "Windows sources include the headers of the C functions they call"
# header:function regex. Calls are matched outside comments roughly (a
# word followed by '('); a missing include is a failure.
includes_ok=1
for f in src/common.c src/reparse.c src/win/*.c; do
  [ -f "$f" ] || continue
  code=$(sed -e 's://.*$::' "$f" | perl -0pe 's:/\*.*?\*/::gs')
  for rule in 'stdlib.h:\b(malloc|calloc|realloc|free|abort|qsort)[[:space:]]*\(' \
      'string.h:\b(memcpy|memmove|memset|memcmp|strlen|strcmp|strncmp|strchr|strrchr)[[:space:]]*\(' \
      'wchar.h:\b(wcslen|wcsncmp|wcscmp|wcschr|wcsrchr|_wcsicmp)[[:space:]]*\('; do
    header=${rule%%:*}
    pattern=${rule#*:}
    if echo "$code" | grep -qE "$pattern" &&
        ! grep -qE "^#include <$header>" "$f"; then
      includes_ok=0
      fail "$f calls $(echo "$code" | grep -oE "$pattern" | head -n1 | tr -d ' (') without #include <$header>"
    fi
  done
done
[ "$includes_ok" = 1 ] && ok "includes"

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "test-c: ${#failures[@]} step(s) failed:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "test-c: all steps passed"
