#!/usr/bin/env bash
# Cross-builds prebuilds/win32-x64/node.napi.node (node-gyp-build's name for
# a Node-API build) with mingw-w64, so the npm package works on Windows
# without a compiler. Run by `npm run build:win32` and by prepack.
#
# Debian packages: gcc-mingw-w64-x86-64 and binutils-mingw-w64-x86-64 (the
# compiler and x86_64-w64-mingw32-objdump). Node-API headers: node_api.h in
# $NODE_API_INCLUDE (default /usr/include/node).
#
# The addon links no import library for Node: src/win/napi_host.c resolves
# every napi_* function from the host process at run time, so the .node
# loads in node.exe and in hosts with other names (Electron). libgcc is
# linked statically and the result is checked to import system DLLs only.
set -euo pipefail

cd "$(dirname "$0")/.."

CC=${CC:-x86_64-w64-mingw32-gcc}
OBJDUMP=${OBJDUMP:-x86_64-w64-mingw32-objdump}
NODE_API_INCLUDE=${NODE_API_INCLUDE:-/usr/include/node}
OUT_DIR=prebuilds/win32-x64
OUT=$OUT_DIR/node.napi.node

die() { echo "build-win32: $*" >&2; exit 1; }

command -v "$CC" >/dev/null ||
  die "$CC not found (Debian: apt-get install gcc-mingw-w64-x86-64)"
command -v "$OBJDUMP" >/dev/null ||
  die "$OBJDUMP not found (Debian: apt-get install binutils-mingw-w64-x86-64)"
[ -f "$NODE_API_INCLUDE/node_api.h" ] ||
  die "no node_api.h in $NODE_API_INCLUDE (set NODE_API_INCLUDE)"
[ -f src/binding.c ] || die "src/binding.c does not exist yet"

# Every Node-API function binding.c calls must have a forwarder; the link
# would fail anyway, this names them.
used=$(grep -oE '\b(napi|node_api)_[a-z0-9_]+[[:space:]]*\(' src/binding.c |
  tr -d ' \t(' | sort -u)
forwarded=$(grep -oE '^SD__FORWARD\((napi|node_api)_[a-z0-9_]+' \
  src/win/napi_host.c | sed 's/^SD__FORWARD(//' | sort -u)
# Names binding.c defines itself are not Node-API calls.
# A definition starts its line with a return type; a call inside
# `if (napi_x(...) != napi_ok) {` is not one.
defined=$(grep -oE '^[A-Za-z_][A-Za-z0-9_]*([[:space:]]+[A-Za-z_][A-Za-z0-9_]*)*[[:space:]*]+(napi|node_api)_[a-z0-9_]+[[:space:]]*\(' \
  src/binding.c | grep -oE '(napi|node_api)_[a-z0-9_]+[[:space:]]*\($' |
  tr -d ' \t(' | sort -u || true)
missing=$(comm -23 <(echo "$used") <(echo "$forwarded") |
  comm -23 - <(echo "$defined") || true)
if [ -n "$missing" ]; then
  echo "build-win32: src/binding.c calls Node-API functions that" \
    "src/win/napi_host.c does not forward:" >&2
  echo "$missing" | sed 's/^/  /' >&2
  echo "build-win32: add an SD__FORWARD(...) for each (the link fails" \
    "without it)." >&2
fi

mkdir -p "$OUT_DIR"
tmp=$(mktemp "$OUT_DIR/.node.napi.node.XXXXXX")
trap 'rm -f "$tmp"' EXIT

"$CC" -std=c11 -O2 -Wall -Wextra -Werror -shared \
  -DNAPI_VERSION=8 -DUNICODE -D_UNICODE -DWIN32_LEAN_AND_MEAN \
  -I"$NODE_API_INCLUDE" -Isrc \
  -o "$tmp" \
  src/binding.c src/common.c src/reparse.c src/win/*.c \
  -static-libgcc -Wl,--no-undefined -s \
  -ladvapi32 -lbcrypt

# What the loader will need: only DLLs every Windows has.
imports=$("$OBJDUMP" -p "$tmp" | sed -n 's/^[[:space:]]*DLL Name: //p' |
  tr 'A-Z' 'a-z' | sort -u)
allowed='^(kernel32|advapi32|bcrypt|msvcrt|ntdll|ucrtbase|api-ms-win-[a-z0-9-]+)\.dll$'
bad=$(echo "$imports" | grep -vE "$allowed" || true)
[ -z "$bad" ] || die "the addon imports non-system DLLs: $(echo $bad)"

exports=$("$OBJDUMP" -p "$tmp" |
  sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p')
echo "$exports" | grep -q 'napi_register_module_v1' ||
  die "the addon does not export napi_register_module_v1"
# The forwarders are for the addon's own use, not exports.
reexported=$(echo "$exports" | grep -oE '\bnapi_[a-z0-9_]+' |
  grep -vx napi_register_module_v1 || true)
[ -z "$reexported" ] ||
  die "the addon exports Node-API functions: $(echo $reexported)"
echo "$exports" | grep -q 'node_api_module_get_api_version_v1' ||
  echo "build-win32: note: no node_api_module_get_api_version_v1 export" >&2

chmod 0644 "$tmp"
mv -f "$tmp" "$OUT"
trap - EXIT
echo "build-win32: wrote $OUT (imports: $(echo $imports))"
