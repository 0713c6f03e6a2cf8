/* Nothing from <winioctl.h> is used by the files the fuzzers build. */
