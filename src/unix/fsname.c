/* Which filesystem holds a directory: statfs magic to a name, and on Linux
 * the mount's own entry in /proc/self/mountinfo, which names FUSE subtypes
 * (fuse.fusefat), the SMB options (mfsymlinks) and VM shares (vboxsf). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#elif defined(__APPLE__) || defined(__FreeBSD__)
#include <sys/mount.h>
#include <sys/param.h>
#endif

#include "internal.h"

#if defined(__linux__)
static const struct {
  unsigned long magic;
  const char* name;
} sd__fs_magics[] = {
  {0xEF53UL, "ext4"},          {0x9123683EUL, "btrfs"},
  {0x58465342UL, "xfs"},       {0x01021994UL, "tmpfs"},
  {0x794C7630UL, "overlay"},   {0x6969UL, "nfs"},
  {0xFF534D42UL, "cifs"},      {0xFE534D42UL, "smb2"},
  {0x517BUL, "smb"},           {0x4D44UL, "vfat"},
  {0x2011BAB0UL, "exfat"},     {0x5346544EUL, "ntfs"},
  {0x7366746EUL, "ntfs3"},     {0x65735546UL, "fuse"},
  {0x01021997UL, "9p"},        {0x786F4256UL, "vboxsf"},
  {0x2FC12FC1UL, "zfs"},       {0xF2F52010UL, "f2fs"},
  {0x73717368UL, "squashfs"},  {0x9FA0UL, "proc"},
  {0x62656572UL, "sysfs"},     {0x1021994UL, "tmpfs"},
  {0xCA451A4EUL, "bcachefs"},  {0x4244UL, "hfs"},
  {0x482BUL, "hfsplus"},       {0x9660UL, "iso9660"},
  {0x15013346UL, "udf"},       {0x137DUL, "ext"},
};

static const char* sd__fs_magic_name(unsigned long magic) {
  size_t i;
  for (i = 0; i < sizeof(sd__fs_magics) / sizeof(sd__fs_magics[0]); i++) {
    if (sd__fs_magics[i].magic == magic) return sd__fs_magics[i].name;
  }
  return NULL;
}

/* mountinfo escapes spaces and a few others as \ooo octal. */
static void sd__unescape(char* s) {
  char* out = s;
  while (*s != '\0') {
    if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
        s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
      *out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
      s += 4;
    } else {
      *out++ = *s++;
    }
  }
  *out = '\0';
}

void sd__mountinfo_scan(FILE* f, int64_t mnt_id, unsigned want_major,
                        unsigned want_minor, sd_facts* facts) {
  char* line = NULL;
  size_t cap = 0;
  /* getline takes a line of any length: options of overlay mounts run to
   * kilobytes. */
  while (getline(&line, &cap, f) > 0) {
    long long id;
    unsigned maj, min;
    char* fields[5] = {0};
    char* sep;
    char* save = NULL;
    char* tok;
    char* type;
    char* source;
    char* options;
    int n = 0;
    if (sscanf(line, "%lld %*u %u:%u", &id, &maj, &min) != 3) continue;
    if (mnt_id >= 0 ? id != mnt_id
                    : maj != want_major || min != want_minor) {
      continue;
    }
    /* "id parent maj:min root mountpoint options [optional...] - fstype
     * source superoptions". Spaces inside fields are escaped, so the first
     * " - " is the separator. */
    sep = strstr(line, " - ");
    if (sep == NULL) continue;
    *sep = '\0';
    for (tok = strtok_r(line, " ", &save); tok != NULL && n < 5;
         tok = strtok_r(NULL, " ", &save)) {
      fields[n++] = tok;
    }
    if (n < 5) continue;
    /* Then fstype, source and super options, one space apart. The source
     * can be empty (mount -t tmpfs "" /mnt writes "tmpfs  rw"): split at
     * each space, as strtok_r would take the options for the source. */
    type = sep + 3;
    type[strcspn(type, "\n")] = '\0';
    options = NULL;
    source = strchr(type, ' ');
    if (source != NULL) {
      *source++ = '\0';
      options = strchr(source, ' ');
      if (options != NULL) {
        *options++ = '\0';
        options[strcspn(options, " ")] = '\0';
      }
    }
    if (*type == '\0') continue;
    sd__unescape(type);
    sd__unescape(fields[4]);
    sd_fact_str(facts, "mountType", type);
    if (source != NULL) {
      sd__unescape(source);
      sd_fact_str(facts, "mountSource", source);
    }
    if (options != NULL) {
      sd__unescape(options);
      sd_fact_str(facts, "mountOptions", options);
    }
    sd_fact_str(facts, "mountPoint", fields[4]);
    break;
  }
  free(line);
}

/* The mount that holds fd. Bind mounts share a device number with the
 * mount they show (and btrfs subvolumes report a device of their own), so
 * the mount ID from statx names the right line; the device is the fallback
 * on kernels before 5.8. */
static void sd__mountinfo_facts(int fd, dev_t dev, sd_facts* facts) {
  FILE* f = fopen("/proc/self/mountinfo", "re");
  int64_t mnt_id = -1;
#ifdef STATX_MNT_ID
  struct statx sx;
  if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &sx) == 0 &&
      (sx.stx_mask & STATX_MNT_ID) != 0) {
    mnt_id = (int64_t)sx.stx_mnt_id;
  }
#else
  (void)fd;
#endif
  if (f == NULL) return;
  sd__mountinfo_scan(f, mnt_id, major(dev), minor(dev), facts);
  fclose(f);
}
#endif

void sd__volume_facts(int fd, sd_facts* facts) {
  struct stat sb;
#if defined(__linux__)
  struct statfs fs;
  if (fstatfs(fd, &fs) == 0) {
    const char* name = sd__fs_magic_name((unsigned long)fs.f_type);
    sd_fact_int(facts, "fsType", (int64_t)(unsigned long)fs.f_type);
    sd_fact_str(facts, "fsName", name != NULL ? name : "unknown");
  }
  if (fstat(fd, &sb) == 0) {
    sd_fact_int(facts, "device", (int64_t)sb.st_dev);
    sd__mountinfo_facts(fd, sb.st_dev, facts);
  }
#elif defined(__APPLE__) || defined(__FreeBSD__)
  struct statfs fs;
  if (fstatfs(fd, &fs) == 0) {
    sd_fact_str(facts, "fsName", fs.f_fstypename);
    sd_fact_str(facts, "mountType", fs.f_fstypename);
    sd_fact_str(facts, "mountPoint", fs.f_mntonname);
    sd_fact_str(facts, "mountSource", fs.f_mntfromname);
  }
  if (fstat(fd, &sb) == 0) sd_fact_int(facts, "device", (int64_t)sb.st_dev);
#else
  if (fstat(fd, &sb) == 0) sd_fact_int(facts, "device", (int64_t)sb.st_dev);
#endif
}
