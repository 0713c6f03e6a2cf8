/* Internal interface of the Windows layer (src/win/). Not part of sd.h. */
#ifndef SD_WIN_INTERNAL_H
#define SD_WIN_INTERNAL_H

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winioctl.h>

#include "../sd.h"

/* Older SDKs and mingw headers may lack these. */
#ifndef SYMBOLIC_LINK_FLAG_DIRECTORY
#define SYMBOLIC_LINK_FLAG_DIRECTORY 0x1
#endif
#ifndef SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE
#define SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE 0x2
#endif
#ifndef ERROR_SYMLINK_NOT_SUPPORTED
#define ERROR_SYMLINK_NOT_SUPPORTED 1464
#endif
#ifndef ERROR_SYMLINK_CLASS_DISABLED
#define ERROR_SYMLINK_CLASS_DISABLED 1463
#endif
#ifndef ERROR_ELEVATION_REQUIRED
#define ERROR_ELEVATION_REQUIRED 740
#endif
#ifndef FILE_SUPPORTS_HARD_LINKS
#define FILE_SUPPORTS_HARD_LINKS 0x00400000
#endif

/* error.c */

/* GetLastError() value -> negative SD_E* code (0 for 0). */
int sd__translate_error(DWORD winerror);
/* Fills st with the translated code, the raw value and syscall; returns
 * the code. */
int sd__win_fail(sd_status* st, DWORD winerror, const char* syscall);

/* path.c. All results are malloc'd; free with free(). Errors are negative
 * SD_E* codes; *winerror gets the raw Win32 code behind them (0 if none). */

/* UTF-8 -> UTF-16. Invalid UTF-8 is an error (SD_EILSEQ), never replaced
 * silently, so a name is either converted exactly or refused. */
int sd__utf8_to_utf16(const char* s, WCHAR** out, DWORD* winerror);
/* UTF-16 (len units, or -1 for NUL-terminated) -> UTF-8; unpaired
 * surrogates are an error (SD_EILSEQ). */
int sd__utf16_to_utf8(const WCHAR* s, int len, char** out, DWORD* winerror);

/* sd_fact_str() for a NUL-terminated UTF-16 value. */
void sd__fact_wstr(sd_facts* f, const char* key, const WCHAR* value);

/* A path the process opens or creates: made absolute (GetFullPathNameW,
 * against the current directory), '/' turned into '\', and given the \\?\
 * (or \\?\UNC\) prefix so it is not limited to MAX_PATH. */
int sd__path_for_open(const char* utf8, WCHAR** out, DWORD* winerror);

/* The same without the prefix: the normalised absolute Win32 path. */
int sd__full_path_w(const WCHAR* path, WCHAR** out, DWORD* winerror);

/* A symlink target to store: '/' -> '\'; an absolute target ("C:\x",
 * "\\server\share") gets the \\?\ prefix after normalisation; a relative
 * one (including "\x" and "C:x") is stored exactly as given, since a
 * prefix would turn it into an absolute path. */
int sd__symlink_target(const char* utf8, WCHAR** out, DWORD* winerror);

/* Absolute Win32 path (no prefix) of the directory that contains the
 * absolute path full (no prefix). */
int sd__parent_dir_w(const WCHAR* full, WCHAR** out);

/* Adds \\?\ (or \\?\UNC\ for \\server\share) to an absolute normalised
 * path; leaves \\?\ and \\.\ paths alone. */
int sd__add_long_prefix(const WCHAR* full, WCHAR** out);

/* The absolute target of a junction at link_full (absolute, no prefix):
 * "C:\x" and "\\?\C:\x" as given (normalised), "x" and "..\x" against the
 * link's directory, "\x" against the link's drive. SD_EINVAL for UNC,
 * \\?\UNC\, volume GUID and device paths: junctions are local only. */
int sd__junction_target(const char* utf8, const WCHAR* link_full,
                        WCHAR** out, DWORD* winerror);

/* True when a symlink reparse point now exists at path (prefixed). Used
 * after CreateSymbolicLinkW reports success, which Wine 8 does without
 * creating anything. */
int sd__symlink_exists(const WCHAR* path);

#endif /* SD_WIN_INTERNAL_H */
