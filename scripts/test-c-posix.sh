#!/usr/bin/env bash
# The POSIX layer and the Node-API glue under the sanitizers:
#  1. test/c/test-posix.c against src/common.c + src/unix/*.c with gcc
#     -Wall -Wextra -Werror, then with ASan+UBSan, then under valgrind;
#  2. the addon itself built with ASan+UBSan and loaded by node for the
#     mocha tests that drive the native core (native, API, seccomp).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/c-posix
mkdir -p "$out"
src=(test/c/test-posix.c src/common.c src/unix/*.c)
flags=(-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g)
# The test puts a racing writer at the exact moments it could act inside
# sd_remove_link, through these calls.
race_wrap=(-Wl,--wrap=lstat,--wrap=fstatat,--wrap=renameat2)

gcc "${flags[@]}" -O2 -o "$out/test-posix" "${src[@]}" "${race_wrap[@]}"
"$out/test-posix"

gcc "${flags[@]}" -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -o "$out/test-posix-asan" "${src[@]}" "${race_wrap[@]}"
"$out/test-posix-asan"

if command -v valgrind >/dev/null; then
  valgrind -q --error-exitcode=1 --leak-check=full "$out/test-posix"
elif [ "${CI:-}" = true ]; then
  echo "valgrind is missing" >&2; exit 1
else
  echo "valgrind skipped: not installed"
fi

# The addon under ASan: node is not built with it, so the runtime is
# preloaded; leak checking is off because V8 keeps memory until exit.
asan_rt=$(gcc -print-file-name=libasan.so)
ubsan_rt=$(gcc -print-file-name=libubsan.so)
addon="$out/addon"
mkdir -p "$addon"
gcc "${flags[@]}" -O1 -shared -fPIC -fsanitize=address,undefined \
  -fno-sanitize-recover=all -fno-omit-frame-pointer \
  -DNAPI_VERSION=8 -I/usr/include/node -o "$addon/symlink_doctor.node" \
  src/binding.c src/common.c src/unix/*.c

# The glue's Node-API failure paths, with real failures injected
# (test/c/napi-fault.c): the thrown error carries Node's own message, and
# every promise made is settled.
wrap=napi_create_async_work,napi_queue_async_work,napi_create_promise
wrap=$wrap,napi_resolve_deferred,napi_reject_deferred
gcc "${flags[@]}" -O1 -shared -fPIC -DNAPI_VERSION=8 -I/usr/include/node \
  -Wl,--wrap="${wrap//,/,--wrap=}" -o "$out/fault.node" \
  src/binding.c src/common.c src/unix/*.c test/c/napi-fault.c
for fn in napi_create_async_work napi_queue_async_work; do
  got=$(SD_NAPI_FAIL=$fn node -e '
    const b = require(process.argv[1])
    let p
    try { p = b.inspect("/") } catch (e) { console.log("threw " + e.message) }
    if (p) p.catch((e) => console.log("rejected " + e.message))
  ' "$PWD/$out/fault.node" 2>&1)
  case "$got" in
    *"Invalid argument"*"promises "[0-9]*" settled "*) ;;
    *) echo "napi-fault $fn: $got" >&2; exit 1 ;;
  esac
  made=$(sed -n 's/.*promises \([0-9]*\) settled \([0-9]*\).*/\1 \2/p' <<<"$got")
  if [ "${made% *}" != "${made#* }" ]; then
    echo "napi-fault $fn: a promise never settled ($got)" >&2; exit 1
  fi
  echo "napi-fault $fn: ok"
done

node scripts/build-test-helpers.js
SYMLINK_DOCTOR_ADDON="$PWD/$addon/symlink_doctor.node" \
LD_PRELOAD="$asan_rt $ubsan_rt" ASAN_OPTIONS=detect_leaks=0 \
  node node_modules/mocha/bin/mocha.js --no-config --timeout 60000 \
    test/native.test.js test/api.test.js test/seccomp.test.js test/fat.test.js \
    test/native-rename.test.js test/remove-race.test.js
