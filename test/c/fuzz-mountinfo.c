/* libFuzzer harness for the /proc/self/mountinfo reader of
 * src/unix/fsname.c: sd__mountinfo_scan() over fuzzed text (fmemopen), and
 * its octal unescaping (static sd__unescape, reached by #including the
 * file).
 *
 *   clang -g -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -Isrc \
 *     test/c/fuzz-mountinfo.c src/common.c -o fuzz-mountinfo
 *
 * Input: byte 0 picks the mode and options, bytes 1-4 the mount asked for
 * (mount ID, or -1 and a device major:minor); the rest is
 *   mode 0: raw mountinfo text. The facts that come out are the four mount
 *           facts at most, each a NUL-terminated string shorter than
 *           SD_FACT_STR_MAX; sd__unescape of the text matches a reference.
 *   mode 1: fields (root, mount point, options, fstype, source, super
 *           options, separated by NUL bytes), written as the kernel writes
 *           them (show_mountinfo: ' ', '\t', '\n' and '\\' as \ooo) into a
 *           line for the wanted mount, among lines for other mounts. The
 *           facts must give every field back exactly: the escaping is
 *           lossless, so the reader must be too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/unix/fsname.c"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* common.c's sd__probe_name wants it; nothing here calls it. */
int sd_random_bytes(unsigned char* buf, size_t n) {
  memset(buf, 0x5a, n);
  return 0;
}

#define REQUIRE(c) \
  do {             \
    if (!(c)) abort(); \
  } while (0)

static sd_facts sd__fuzz_facts;

static const char* fact(const char* key) {
  int i;
  for (i = 0; i < sd__fuzz_facts.count; i++) {
    if (strcmp(sd__fuzz_facts.items[i].key, key) == 0)
      return sd__fuzz_facts.items[i].str;
  }
  return NULL;
}

static void check_facts_shape(void) {
  static const char* const keys[4] = {"mountType", "mountSource",
                                      "mountOptions", "mountPoint"};
  int i, k;
  REQUIRE(sd__fuzz_facts.count >= 0 && sd__fuzz_facts.count <= 4);
  for (i = 0; i < sd__fuzz_facts.count; i++) {
    const sd_fact* f = &sd__fuzz_facts.items[i];
    int known = 0;
    REQUIRE(f->kind == SD_FACT_STR);
    REQUIRE(memchr(f->str, '\0', SD_FACT_STR_MAX) != NULL);
    for (k = 0; k < 4; k++) {
      if (strcmp(f->key, keys[k]) == 0) known = 1;
    }
    REQUIRE(known);
    /* Each key once. */
    for (k = 0; k < i; k++) {
      REQUIRE(strcmp(f->key, sd__fuzz_facts.items[k].key) != 0);
    }
  }
}

static void scan(char* text, size_t len, int64_t id, unsigned maj,
                 unsigned min) {
  FILE* f;
  sd__fuzz_facts.count = 0;
  if (len == 0) return;
  f = fmemopen(text, len, "r");
  if (f == NULL) return;
  sd__mountinfo_scan(f, id, maj, min, &sd__fuzz_facts);
  fclose(f);
  if (getenv("SD_FUZZ_DEBUG") != NULL) {
    /* For a crash being looked at: the text and what was read from it. */
    int i;
    fprintf(stderr, "mnt_id %lld dev %u:%u text:\n%.*s\n", (long long)id,
            maj, min, (int)len, text);
    for (i = 0; i < sd__fuzz_facts.count; i++) {
      fprintf(stderr, "  %s=[%s]\n", sd__fuzz_facts.items[i].key,
              sd__fuzz_facts.items[i].str);
    }
  }
  check_facts_shape();
}

/* --- mode 0: raw text ----------------------------------------------------- */

static void ref_unescape(const char* s, char* out) {
  while (*s != '\0') {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
        s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
      *out++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
      s += 4;
    } else {
      *out++ = *s++;
    }
  }
  *out = '\0';
}

static void mode_raw(int64_t id, unsigned maj, unsigned min, const uint8_t* p,
                     size_t n) {
  char* text = malloc(n + 1);
  char* a;
  char* b;
  REQUIRE(text != NULL);
  memcpy(text, p, n);
  text[n] = '\0';
  scan(text, n, id, maj, min);

  /* Unescaping, on the text up to its first NUL, in a buffer of exactly
   * that size. */
  n = strlen((const char*)text);
  a = malloc(n + 1);
  b = malloc(n + 1);
  REQUIRE(a != NULL && b != NULL);
  memcpy(a, p, n);
  a[n] = '\0';
  sd__unescape(a);
  ref_unescape(text, b);
  REQUIRE(strcmp(a, b) == 0);
  REQUIRE(strlen(a) <= n);
  free(a);
  free(b);
  free(text);
}

/* --- mode 1: lines as the kernel writes them ----------------------------- */

typedef struct {
  char* p;
  size_t len, cap;
} sbuf;

static void put(sbuf* b, const char* s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = (b->len + n + 1) * 2;
    char* q = realloc(b->p, cap);
    REQUIRE(q != NULL);
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void puts_(sbuf* b, const char* s) { put(b, s, strlen(s)); }

/* The kernel's mangle(): " \t\n\\" as \ooo. */
static void put_escaped(sbuf* b, const char* s, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
      char e[5];
      e[0] = '\\';
      e[1] = (char)('0' + ((c >> 6) & 7));
      e[2] = (char)('0' + ((c >> 3) & 7));
      e[3] = (char)('0' + (c & 7));
      e[4] = '\0';
      puts_(b, e);
    } else {
      put(b, (const char*)&c, 1);
    }
  }
}

enum { F_ROOT, F_POINT, F_OPTS, F_TYPE, F_SOURCE, F_SUPER, F_COUNT };

static void put_line(sbuf* b, long long id, unsigned maj, unsigned min,
                     const char* const* field, const size_t* len,
                     unsigned optional) {
  char num[80];
  int i;
  snprintf(num, sizeof(num), "%lld %lld %u:%u ", id, id > 1 ? id - 1 : 1,
           maj, min);
  puts_(b, num);
  for (i = F_ROOT; i <= F_OPTS; i++) {
    put_escaped(b, field[i], len[i]);
    puts_(b, i < F_OPTS ? " " : "");
  }
  /* Optional fields, then the separator. */
  if (optional & 1) puts_(b, " shared:1");
  if (optional & 2) puts_(b, " master:12");
  if (optional & 4) puts_(b, " propagate_from:3");
  if (optional & 8) puts_(b, " unbindable");
  puts_(b, " - ");
  put_escaped(b, field[F_TYPE], len[F_TYPE]);
  puts_(b, " ");
  put_escaped(b, field[F_SOURCE], len[F_SOURCE]);
  puts_(b, " ");
  put_escaped(b, field[F_SUPER], len[F_SUPER]);
  puts_(b, "\n");
}

static void expect(const char* key, const char* want, size_t len) {
  const char* got = fact(key);
  if (len >= SD_FACT_STR_MAX) {
    /* Too long for a fact: left out, never cut. */
    REQUIRE(got == NULL);
    return;
  }
  REQUIRE(got != NULL);
  REQUIRE(strlen(got) == len && memcmp(got, want, len) == 0);
}

static void mode_lines(unsigned flags, int64_t id, unsigned maj, unsigned min,
                       const uint8_t* p, size_t n) {
  static const char* const defaults[F_COUNT] = {"/", "/mnt", "rw", "tmpfs",
                                                "none", "rw"};
  const char* field[F_COUNT];
  size_t len[F_COUNT];
  const char* other[F_COUNT] = {"/", "/other", "rw", "ext4", "/dev/x", "rw"};
  size_t other_len[F_COUNT];
  char* copy = malloc(n + 1);
  sbuf b = {NULL, 0, 0};
  size_t at = 0;
  int i;
  long long want_id = id >= 0 ? id : 40;

  REQUIRE(copy != NULL);
  memcpy(copy, p, n);
  copy[n] = '\0';
  for (i = 0; i < F_COUNT; i++) {
    const char* end = at <= n ? memchr(copy + at, '\0', n + 1 - at) : NULL;
    if (at <= n && end != NULL) {
      field[i] = copy + at;
      len[i] = (size_t)(end - (copy + at));
      at += len[i] + 1;
    } else {
      field[i] = defaults[i];
      len[i] = strlen(defaults[i]);
    }
    /* The kernel never writes an empty field, except the source (mount
     * -t tmpfs "" /mnt gives "tmpfs  rw"): that one is kept when the input
     * asks for it. */
    /* Nor a lone "-" before the separator: root and mount point are
     * paths ("/x", or "net:[4026531840]" for nsfs), options start with
     * rw or ro. */
    if ((len[i] == 0 && !(i == F_SOURCE && (flags & 2))) ||
        (i <= F_OPTS && len[i] == 1 && field[i][0] == '-')) {
      field[i] = defaults[i];
      len[i] = strlen(defaults[i]);
    }
    other_len[i] = strlen(other[i]);
  }

  /* Other mounts first: a different ID, and when the device is what is
   * asked for, a different device. */
  for (i = 0; i < (int)((flags >> 2) & 3); i++) {
    put_line(&b, want_id + 1 + i, maj + 1, min, other, other_len,
             (flags >> 4) & 15);
  }
  put_line(&b, want_id, maj, min, field, len, flags >> 4);
  /* And one after: only the first match counts. */
  put_line(&b, id >= 0 ? want_id + 7 : want_id, maj, min, other, other_len,
           0);

  scan(b.p, b.len, id, maj, min);
  expect("mountType", field[F_TYPE], len[F_TYPE]);
  expect("mountPoint", field[F_POINT], len[F_POINT]);
  expect("mountSource", field[F_SOURCE], len[F_SOURCE]);
  expect("mountOptions", field[F_SUPER], len[F_SUPER]);
  free(b.p);
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unsigned flags;
  int64_t id;
  unsigned maj, min;
  if (size < 5) return 0;
  flags = data[0];
  /* Bit 7 of byte 1: look up by device (mnt_id -1), as before Linux 5.8. */
  id = (data[1] & 0x80) ? -1 : (int64_t)(data[1] | (data[2] << 7));
  maj = data[3];
  min = data[4];
  if (flags & 1) {
    mode_lines(flags, id, maj, min, data + 5, size - 5);
  } else {
    mode_raw(id, maj, min, data + 5, size - 5);
  }
  return 0;
}
