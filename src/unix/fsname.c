/* Which filesystem holds a directory: statfs magic to a name, and on Linux
 * the mount's own entry in /proc/self/mountinfo, which names FUSE subtypes
 * (fuse.fusefat), the SMB options (mfsymlinks) and VM shares (vboxsf). */
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

/* Finds the mount with this device number. Several mounts can share one
 * (bind mounts); any of them names the same filesystem. */
static void sd__mountinfo_facts(dev_t dev, sd_facts* facts) {
  FILE* f = fopen("/proc/self/mountinfo", "re");
  char* line = NULL;
  size_t cap = 0;
  unsigned want_major = major(dev), want_minor = minor(dev);
  if (f == NULL) return;
  while (getline(&line, &cap, f) > 0) {
    unsigned maj, min;
    char* fields[6] = {0};
    char* sep;
    char* save = NULL;
    char* tok;
    int n = 0;
    if (sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2) continue;
    if (maj != want_major || min != want_minor) continue;
    /* "... mountpoint ... - fstype source superoptions" */
    sep = strstr(line, " - ");
    if (sep == NULL) continue;
    *sep = '\0';
    for (tok = strtok_r(line, " ", &save); tok != NULL && n < 5;
         tok = strtok_r(NULL, " ", &save)) {
      fields[n++] = tok;
    }
    if (n < 5) continue;
    save = NULL;
    fields[0] = strtok_r(sep + 3, " \n", &save);   /* fstype */
    fields[1] = strtok_r(NULL, " \n", &save);      /* source */
    fields[2] = strtok_r(NULL, " \n", &save);      /* super options */
    if (fields[0] == NULL) continue;
    sd__unescape(fields[4]);
    sd_fact_str(facts, "mountType", fields[0]);
    if (fields[1] != NULL) {
      sd__unescape(fields[1]);
      sd_fact_str(facts, "mountSource", fields[1]);
    }
    if (fields[2] != NULL) sd_fact_str(facts, "mountOptions", fields[2]);
    sd_fact_str(facts, "mountPoint", fields[4]);
    break;
  }
  free(line);
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
    sd__mountinfo_facts(sb.st_dev, facts);
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
