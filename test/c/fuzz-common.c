/* libFuzzer harness for the portable helpers of src/common.c:
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Isrc \
 *     test/c/fuzz-common.c src/common.c -o fuzz-common
 *
 * Input: byte 0 picks the helper, the rest feeds it.
 *   0: sd__probe_name(out, size, dir, sep, suffix) with size, sep, the
 *      random bytes and dir/suffix (NUL-separated) from the input, into a
 *      buffer of exactly size bytes: either the whole name, exactly
 *      "<dir><sep>.sd-probe-<16 hex><suffix>", or SD_ENAMETOOLONG; a
 *      failing sd_random_bytes is passed on.
 *   1: a run of sd_fact_bool/int/str calls (values from the input, strings
 *      up to 8 KB): a string is kept whole or left out (never cut), the
 *      table never holds more than SD_MAX_FACTS, and every kept fact reads
 *      back as given.
 *   2: sd_err_name/sd_strerror of any int: always a string, "UNKNOWN" and
 *      "unknown error" together, and every known code named consistently.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#define REQUIRE(c) \
  do {             \
    if (!(c)) abort(); \
  } while (0)

/* sd_random_bytes for sd__probe_name: the bytes, or the failure, the
 * input asks for. */
static unsigned char sd__fuzz_rnd[8];
static int sd__fuzz_rnd_err;

int sd_random_bytes(unsigned char* buf, size_t n) {
  if (sd__fuzz_rnd_err != 0) return sd__fuzz_rnd_err;
  REQUIRE(n == sizeof(sd__fuzz_rnd));
  memcpy(buf, sd__fuzz_rnd, n);
  return 0;
}

static sd_facts sd__fuzz_facts;

/* Splits p[0..n) at its first NUL into a malloc'd string; advances. */
static char* take_str(const uint8_t** p, size_t* n) {
  const uint8_t* end = memchr(*p, 0, *n);
  size_t len = end != NULL ? (size_t)(end - *p) : *n;
  char* s = malloc(len + 1);
  REQUIRE(s != NULL);
  memcpy(s, *p, len);
  s[len] = '\0';
  *p += len + (end != NULL ? 1 : 0);
  *n -= len + (end != NULL ? 1 : 0);
  return s;
}

static void fuzz_probe_name(const uint8_t* p, size_t n) {
  size_t out_size;
  char sep;
  char* dir;
  char* suffix;
  char* out;
  char* want;
  size_t want_len;
  size_t i;
  int r;

  if (n < 12) return;
  /* Sizes around the length of real names, and up to 64 KB. */
  out_size = (size_t)(p[0] | (p[1] << 8));
  sep = (char)p[2];
  sd__fuzz_rnd_err = (p[3] & 0x80) ? SD_EIO : 0;
  memcpy(sd__fuzz_rnd, p + 4, 8);
  p += 12;
  n -= 12;
  dir = take_str(&p, &n);
  suffix = take_str(&p, &n);

  want_len = strlen(dir) + 1 + strlen(".sd-probe-") + 16 + strlen(suffix);
  want = malloc(want_len + 1);
  REQUIRE(want != NULL);
  {
    size_t k = 0;
    memcpy(want, dir, strlen(dir));
    k += strlen(dir);
    want[k++] = sep;
    memcpy(want + k, ".sd-probe-", 10);
    k += 10;
    for (i = 0; i < 8; i++) {
      static const char hex[] = "0123456789abcdef";
      want[k++] = hex[sd__fuzz_rnd[i] >> 4];
      want[k++] = hex[sd__fuzz_rnd[i] & 15];
    }
    memcpy(want + k, suffix, strlen(suffix) + 1);
  }

  /* Exactly out_size bytes (at least one, so there is a pointer). */
  out = malloc(out_size > 0 ? out_size : 1);
  REQUIRE(out != NULL);
  r = sd__probe_name(out, out_size, dir, sep, suffix);
  if (sd__fuzz_rnd_err != 0) {
    REQUIRE(r == sd__fuzz_rnd_err);
  } else if (want_len < out_size && sep != '\0') {
    REQUIRE(r == 0);
    REQUIRE(strlen(out) == want_len && memcmp(out, want, want_len + 1) == 0);
  } else if (want_len < out_size) {
    /* A NUL separator cuts the name short: whatever the answer, it stays
     * inside the buffer and is terminated. */
    REQUIRE(r == 0 || r == SD_ENAMETOOLONG);
    REQUIRE(memchr(out, '\0', out_size) != NULL);
  } else {
    REQUIRE(r == SD_ENAMETOOLONG);
    if (out_size > 0) REQUIRE(memchr(out, '\0', out_size) != NULL);
  }
  free(out);
  free(want);
  free(suffix);
  free(dir);
}

static void fuzz_facts(const uint8_t* p, size_t n) {
  static const char* const keys[4] = {"a", "fsName", "mountPoint", "x"};
  /* What each slot should hold: kind, value, string length. */
  static struct {
    sd_fact_kind kind;
    int64_t num;
    size_t len;
    unsigned char fill;
    const char* key;
  } want[SD_MAX_FACTS];
  int expect_count = 0;
  char* s = NULL;

  memset(&sd__fuzz_facts, 0xA5, sizeof(sd__fuzz_facts));
  sd__fuzz_facts.count = 0;
  while (n >= 3) {
    unsigned op = p[0];
    const char* key = keys[(op >> 2) & 3];
    int64_t v = (int64_t)(int8_t)p[1] * 0x10001 + p[2];
    size_t len = (size_t)(p[1] | (p[2] << 8)) & 0x1FFF;
    int kept = 0;
    p += 3;
    n -= 3;
    switch (op & 3) {
      case 0:
        sd_fact_bool(&sd__fuzz_facts, key, (int)v);
        if (expect_count < SD_MAX_FACTS) {
          want[expect_count].kind = SD_FACT_BOOL;
          want[expect_count].num = v != 0;
          kept = 1;
        }
        break;
      case 1:
        sd_fact_int(&sd__fuzz_facts, key, v);
        if (expect_count < SD_MAX_FACTS) {
          want[expect_count].kind = SD_FACT_INT;
          want[expect_count].num = v;
          kept = 1;
        }
        break;
      default: {
        /* A string of len copies of one byte (never NUL), from the input
         * when there is one. */
        unsigned char fill = n > 0 && p[0] != 0 ? p[0] : 'v';
        s = malloc(len + 1);
        REQUIRE(s != NULL);
        memset(s, fill, len);
        s[len] = '\0';
        if (n > 0) {
          p++;
          n--;
        }
        sd_fact_str(&sd__fuzz_facts, key, (op & 0x10) ? s : NULL);
        if (!(op & 0x10)) len = 0;
        if (len < SD_FACT_STR_MAX && expect_count < SD_MAX_FACTS) {
          want[expect_count].kind = SD_FACT_STR;
          want[expect_count].len = len;
          want[expect_count].fill = fill;
          kept = 1;
        }
        free(s);
        s = NULL;
      }
    }
    if (kept) want[expect_count++].key = key;
    REQUIRE(sd__fuzz_facts.count == expect_count);
  }
  {
    int i;
    for (i = 0; i < expect_count; i++) {
      const sd_fact* f = &sd__fuzz_facts.items[i];
      REQUIRE(f->kind == want[i].kind && f->key == want[i].key);
      if (f->kind == SD_FACT_STR) {
        size_t k;
        REQUIRE(strlen(f->str) == want[i].len);
        for (k = 0; k < want[i].len; k++) {
          REQUIRE((unsigned char)f->str[k] == want[i].fill);
        }
      } else {
        REQUIRE(f->num == want[i].num);
      }
    }
  }
}

static void fuzz_err_names(const uint8_t* p, size_t n) {
  static int checked;
  int code;
  const char* name;
  const char* msg;
  if (!checked) {
    /* Every code of the table: its own name and message. */
#define XX(nm, posix, win, m)                                 \
  REQUIRE(strcmp(sd_err_name(SD_##nm), #nm) == 0 &&           \
          strcmp(sd_strerror(SD_##nm), m) == 0);
    SD_ERRNO_MAP(XX)
#undef XX
    checked = 1;
  }
  if (n < 4) return;
  code = (int)((uint32_t)p[0] | ((uint32_t)p[1] << 8) |
               ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
  name = sd_err_name(code);
  msg = sd_strerror(code);
  REQUIRE(name != NULL && msg != NULL);
  REQUIRE((strcmp(name, "UNKNOWN") == 0) ==
          (strcmp(msg, "unknown error") == 0));
  /* A named code is a negative one (0 is success, not an error). */
  if (strcmp(name, "UNKNOWN") != 0) REQUIRE(code < 0);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  switch (data[0] % 3) {
    case 0:
      fuzz_probe_name(data + 1, size - 1);
      break;
    case 1:
      fuzz_facts(data + 1, size - 1);
      break;
    default:
      fuzz_err_names(data + 1, size - 1);
  }
  return 0;
}
