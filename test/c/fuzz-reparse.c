/* libFuzzer harness for src/reparse.c.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Isrc \
 *     src/reparse.c test/c/fuzz-reparse.c -o fuzz-reparse
 *
 * The input is parsed as a reparse buffer exactly as large as the input
 * (libFuzzer's copy is heap-allocated to that size, so ASan catches any
 * read past it); every name the parser accepts is read and converted. The
 * same bytes, read as UTF-16 units, are then fed to the mount point builder,
 * and whatever it builds must parse back to the same name.
 */
#include <stdlib.h>
#include <string.h>

#include "reparse.h"

static void sd__fuzz_parse(const uint8_t* data, size_t size) {
  sd_reparse_data d;
  uint16_t* name;

  if (sd_reparse_parse(data, size, &d) != 0) return;
  if (d.kind == SD_REPARSE_OTHER) {
    if (d.subst_len != 0 || d.print_len != 0) abort();
    return;
  }
  /* Accepted names must lie inside the input. */
  if (d.subst_offset + 2 * d.subst_len > size) abort();
  if (d.print_offset + 2 * d.print_len > size) abort();

  name = malloc(sizeof(uint16_t) * (d.subst_len + 1));
  if (name == NULL) return;
  sd_reparse_read_name(data, d.subst_offset, d.subst_len, name);
  if (sd_reparse_nt_to_win32(name, d.subst_len) > d.subst_len) abort();
  free(name);

  name = malloc(sizeof(uint16_t) * (d.print_len + 1));
  if (name == NULL) return;
  sd_reparse_read_name(data, d.print_offset, d.print_len, name);
  free(name);
}

static void sd__fuzz_build(const uint8_t* data, size_t size) {
  static unsigned char buf[SD_REPARSE_MAX_SIZE];
  uint16_t* target;
  uint16_t* back;
  sd_reparse_data d;
  size_t len = size / 2;
  size_t used;
  size_t i;

  target = malloc(sizeof(uint16_t) * (len + 1));
  if (target == NULL) return;
  for (i = 0; i < len; i++) {
    target[i] = (uint16_t)(data[2 * i] | (data[2 * i + 1] << 8));
  }
  if (sd_reparse_build_mount_point(target, len, buf, sizeof(buf), &used) ==
      0) {
    if (used > sizeof(buf)) abort();
    if (sd_reparse_parse(buf, used, &d) != 0) abort();
    if (d.kind != SD_REPARSE_MOUNT_POINT) abort();
    if (d.subst_len != d.print_len + 4) abort();
    back = malloc(sizeof(uint16_t) * (d.subst_len + 1));
    if (back != NULL) {
      sd_reparse_read_name(buf, d.subst_offset, d.subst_len, back);
      /* The substitute name maps back to the print name. */
      if (sd_reparse_nt_to_win32(back, d.subst_len) != d.print_len) abort();
      free(back);
    }
  }
  free(target);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sd__fuzz_parse(data, size);
  sd__fuzz_build(data, size);
  return 0;
}
