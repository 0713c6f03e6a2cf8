/* Shared by the POSIX layer only. */
#ifndef SD_UNIX_INTERNAL_H
#define SD_UNIX_INTERNAL_H

#include <stdio.h>
#include <sys/types.h>

#include "../sd.h"

/* errno value to a negative SD code (the POSIX numbers are -errno). */
#define SD__ERR(e) (-(e))

/* Adds fsType, fsName and, where the kernel says, the mount's fstype,
 * source, point and options for the filesystem holding fd. */
void sd__volume_facts(int fd, sd_facts* facts);

#if defined(__linux__)
/* Adds the mount facts of one /proc/self/mountinfo line read from f: the
 * mount with mnt_id, or when mnt_id is -1 the first one on the device
 * major:minor. */
void sd__mountinfo_scan(FILE* f, int64_t mnt_id, unsigned dev_major,
                        unsigned dev_minor, sd_facts* facts);
#endif

#endif /* SD_UNIX_INTERNAL_H */
