/* symlink-doctor: the portable interface of the native core.
 *
 * binding.c (Node-API glue) calls only what is declared here. Each platform
 * implements it once: src/unix/ for POSIX, src/win/ for Windows. Functions
 * return 0 or a negative error code (SD_E*, the same numbers libuv and Node
 * use on that platform) and fill an sd_status with the details.
 */
#ifndef SD_H
#define SD_H

#include <stddef.h>
#include <stdint.h>

#include "sd_errno.h"

/* What the caller asks symlink() to make. */
typedef enum {
  SD_LINK_FILE = 0,
  SD_LINK_DIR = 1,
  SD_LINK_JUNCTION = 2
} sd_link_type;

/* What inspect() found at a path. */
typedef enum {
  SD_KIND_FILE = 0,
  SD_KIND_DIRECTORY,
  SD_KIND_SYMLINK,
  SD_KIND_JUNCTION,
  SD_KIND_OTHER
} sd_kind;

/* The details of the last failure of an operation. */
typedef struct {
  int code;              /* 0 or a negative SD_E* code */
  uint32_t winerror;     /* raw GetLastError() on Windows, else 0 */
  const char* syscall;   /* the call that failed: "symlink", "link", ... */
} sd_status;

/* Facts: a flat list of named values that a platform layer fills with what
 * it knows (filesystem name, Developer Mode, token, ...). The glue turns the
 * list into a JS object without knowing which platform filled it. */
typedef enum { SD_FACT_BOOL, SD_FACT_INT, SD_FACT_STR } sd_fact_kind;

#define SD_MAX_FACTS 48
/* Room for a whole path (PATH_MAX); longer values are left out. */
#define SD_FACT_STR_MAX 4096

typedef struct {
  const char* key;       /* a static string, e.g. "fsName" */
  sd_fact_kind kind;
  int64_t num;           /* BOOL and INT */
  char str[SD_FACT_STR_MAX];
} sd_fact;

typedef struct {
  int count;
  sd_fact items[SD_MAX_FACTS];
} sd_facts;

void sd_fact_bool(sd_facts* f, const char* key, int value);
void sd_fact_int(sd_facts* f, const char* key, int64_t value);
void sd_fact_str(sd_facts* f, const char* key, const char* value);

/* One trial in probe(): whether it was tried, and how it ended. */
typedef struct {
  int tried;             /* 0 when the platform has no such link kind */
  int ok;
  sd_status status;      /* the refusal, when !ok */
} sd_attempt;

typedef struct {
  sd_attempt file_symlink;
  sd_attempt dir_symlink;
  sd_attempt junction;
  sd_attempt hardlink;
  sd_facts facts;        /* the volume of dir: fsName, fsType, ... */
} sd_probe_result;

typedef struct {
  sd_kind kind;
  char* target;          /* as stored in the link (UTF-8, malloc'd), or NULL */
  int relative;          /* 1 when the stored target is relative */
  int target_exists;     /* 1 when following the link finds something */
  uint64_t nlink;        /* hard link count */
  uint32_t reparse_tag;  /* Windows reparse tag, else 0 */
} sd_link_info;

/* Creates a symbolic link (or, with SD_LINK_JUNCTION, a junction) at path
 * pointing to target, stored as given. Never replaces anything. */
int sd_symlink(const char* target, const char* path, sd_link_type type,
               sd_status* st);

/* Creates a hard link at path to the existing file. */
int sd_hardlink(const char* existing, const char* path, sd_status* st);

/* Describes what is at path without following it. Free with
 * sd_link_info_free(). */
int sd_inspect(const char* path, sd_link_info* info, sd_status* st);
void sd_link_info_free(sd_link_info* info);

/* Where sd_remove_link left something under a name of its own instead of
 * where it was (a failed call only): path (malloc'd; the directory of the
 * link's path as given + the aside name) or NULL when nothing was left. */
typedef struct {
  char* path;
  int appeared;          /* 1: it is what appeared at the link's name while
                            removeLink ran (what removeLink found there is
                            back in place); 0: it is what removeLink found */
  sd_kind kind;          /* what it is */
} sd_kept;

/* Removes a symlink or junction itself. Refuses (SD_EISDIR for a real
 * directory, SD_EINVAL for a real file) with anything else. Never
 * recursive, never follows the link, never deletes a real file. When a
 * racing writer leaves it no way to put everything back under the names
 * it found, kept says where the rest is (free with sd_kept_free()). */
int sd_remove_link(const char* path, sd_kept* kept, sd_status* st);
void sd_kept_free(sd_kept* kept);

/* rename(2) with flags. SD_RENAME_NOREPLACE: fail with SD_EEXIST rather
 * than replace anything at to. SD_RENAME_EXCHANGE: swap from and to
 * atomically (both must exist). 0: a plain rename. Where the OS or the
 * filesystem lacks a flag the code says so unchanged (SD_ENOSYS, or
 * SD_EINVAL from Linux filesystems without it: FUSE, NFS, FAT...), so the
 * caller can take another way. Both flags at once, or any other bit, is
 * SD_EINVAL. syscall: "rename". */
#define SD_RENAME_NOREPLACE 1
#define SD_RENAME_EXCHANGE 2
int sd_rename(const char* from, const char* to, int flags, sd_status* st);

/* Tries each link kind inside dir with fresh random names and removes
 * whatever it made, whether the steps succeed or fail. */
int sd_probe(const char* dir, sd_probe_result* out, sd_status* st);

/* Grants the "Create symbolic links" right to account (DOMAIN\user or
 * user; NULL: the user of this process). Windows only, needs elevation,
 * effective at the account's next logon; SD_ENOSYS elsewhere. */
int sd_grant_symlink_right(const char* account, sd_status* st);

/* Facts about this process and OS: uid, Developer Mode, token, build... */
void sd_system_facts(sd_facts* out);

/* Fills buf with n random bytes (for unique names). */
int sd_random_bytes(unsigned char* buf, size_t n);

/* Internal helpers shared by the platform layers (src/common.c). */
void sd__status_set(sd_status* st, int code, uint32_t winerror,
                    const char* syscall);
/* Writes dir + separator + ".sd-probe-" + 16 hex chars + suffix. */
int sd__probe_name(char* out, size_t size, const char* dir, char sep,
                   const char* suffix);

#endif /* SD_H */
