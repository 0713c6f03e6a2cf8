/* Shared by the POSIX layer only. */
#ifndef SD_UNIX_INTERNAL_H
#define SD_UNIX_INTERNAL_H

#include <sys/types.h>

#include "../sd.h"

/* errno value to a negative SD code (the POSIX numbers are -errno). */
#define SD__ERR(e) (-(e))

/* Adds fsType, fsName and, where the kernel says, the mount's fstype,
 * source, point and options for the filesystem holding fd. */
void sd__volume_facts(int fd, sd_facts* facts);

#endif /* SD_UNIX_INTERNAL_H */
