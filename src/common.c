/* Portable pieces shared by both platform layers: the error table, facts,
 * and probe names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

const char* sd_err_name(int code) {
  switch (code) {
#define XX(name, posix, win, msg) \
  case SD_##name:                 \
    return #name;
    SD_ERRNO_MAP(XX)
#undef XX
    default:
      return "UNKNOWN";
  }
}

const char* sd_strerror(int code) {
  switch (code) {
#define XX(name, posix, win, msg) \
  case SD_##name:                 \
    return msg;
    SD_ERRNO_MAP(XX)
#undef XX
    default:
      return "unknown error";
  }
}

void sd__status_set(sd_status* st, int code, uint32_t winerror,
                    const char* syscall) {
  st->code = code;
  st->winerror = winerror;
  st->syscall = syscall;
}

static sd_fact* sd__fact_next(sd_facts* f, const char* key,
                              sd_fact_kind kind) {
  sd_fact* fact;
  /* The table is sized for every fact a layer reports; a full table drops
   * extras rather than overflowing. */
  if (f->count >= SD_MAX_FACTS) return NULL;
  fact = &f->items[f->count++];
  fact->key = key;
  fact->kind = kind;
  fact->num = 0;
  fact->str[0] = '\0';
  return fact;
}

void sd_fact_bool(sd_facts* f, const char* key, int value) {
  sd_fact* fact = sd__fact_next(f, key, SD_FACT_BOOL);
  if (fact != NULL) fact->num = value ? 1 : 0;
}

void sd_fact_int(sd_facts* f, const char* key, int64_t value) {
  sd_fact* fact = sd__fact_next(f, key, SD_FACT_INT);
  if (fact != NULL) fact->num = value;
}

void sd_fact_str(sd_facts* f, const char* key, const char* value) {
  sd_fact* fact;
  if (value == NULL) value = "";
  /* A value cut short is a wrong value (a mount point that a remedy then
   * tells the user to umount): one that does not fit is left out. */
  if (strlen(value) >= SD_FACT_STR_MAX) return;
  fact = sd__fact_next(f, key, SD_FACT_STR);
  if (fact != NULL) memcpy(fact->str, value, strlen(value) + 1);
}

int sd__probe_name(char* out, size_t size, const char* dir, char sep,
                   const char* suffix) {
  unsigned char rnd[8];
  char hex[17];
  size_t i;
  int n;
  int err = sd_random_bytes(rnd, sizeof(rnd));
  if (err != 0) return err;
  for (i = 0; i < sizeof(rnd); i++) {
    snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
  }
  n = snprintf(out, size, "%s%c.sd-probe-%s%s", dir, sep, hex, suffix);
  if (n < 0 || (size_t)n >= size) return SD_ENAMETOOLONG;
  return 0;
}

void sd_kept_free(sd_kept* kept) {
  free(kept->path);
  kept->path = NULL;
}
