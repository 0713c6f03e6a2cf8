/* The smallest test harness: CHECK counts, and the runner prints the
 * closing line "N passed, N failed" that CI reads. */
#ifndef SD_TEST_CHECK_H
#define SD_TEST_CHECK_H

#include <stdio.h>

static int passed;
static int failed;

#define CHECK(cond)                                                   \
  do {                                                                \
    if (cond) {                                                       \
      passed++;                                                       \
    } else {                                                          \
      failed++;                                                       \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                 \
  } while (0)

static int check_summary(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}

#endif /* SD_TEST_CHECK_H */
