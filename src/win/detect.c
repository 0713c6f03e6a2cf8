/* sd_system_facts() on Windows: what decides whether this process may
 * create symlinks, each fact with its raw value so JS can explain itself.
 *
 * Keys (a key is absent when the OS would not say):
 *   developerMode            bool   AppModelUnlock
 *                                   AllowDevelopmentWithoutDevLicense is a
 *                                   REG_DWORD equal to 1
 *   developerModeValue       int    that value, when it is a REG_DWORD
 *   developerModeValueType   int    its registry type (4 = REG_DWORD), when
 *                                   the value exists at all
 *   developerModePolicy      int    HKLM\SOFTWARE\Policies\Microsoft\Windows\
 *                                   Appx AllowDevelopmentWithoutDevLicense
 *                                   (0 deny, 1 allow, 65535 not configured)
 *   osMajor, osMinor, osBuild int   RtlGetVersion (not subject to the
 *                                   manifest lies of GetVersionEx)
 *   productType              int    1 workstation, 2 domain controller,
 *                                   3 server
 *   editionId                string HKLM\SOFTWARE\Microsoft\Windows NT\
 *                                   CurrentVersion EditionID ("Core" is
 *                                   Home, "Professional", "Enterprise"...)
 *   isHomeEdition            bool   editionId starts with "Core" (Core,
 *                                   CoreN, CoreSingleLanguage, ...): no
 *                                   secpol.msc there
 *   elevated                 bool   TokenElevation
 *   elevationType            string "default", "full" or "limited"
 *                                   (TokenElevationType; "limited" is an
 *                                   admin whose privileges UAC filtered out)
 *   elevationTypeValue       int    the raw TOKEN_ELEVATION_TYPE
 *   symlinkPrivilegePresent  bool   SeCreateSymbolicLinkPrivilege is in the
 *                                   token (false when its LUID lookup fails)
 *   symlinkPrivilegeEnabled  bool   ... and enabled (CreateSymbolicLinkW
 *                                   enables a present one itself)
 *   symlinkPrivilegeLookupError int GetLastError() of a failed
 *                                   LookupPrivilegeValueW (Wine has no such
 *                                   privilege)
 *   tokenError               int    GetLastError() when the token could not
 *                                   be opened or read
 *   accountName              string DOMAIN\user of the process token
 *   accountSid               string e.g. "S-1-5-21-...-1001"
 *   wineVersion              string ntdll's wine_get_version(), only under
 *                                   Wine, whose CreateSymbolicLinkW is a
 *                                   stub before 10.20
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"
/* After windows.h, which it needs. */
#include <sddl.h>

#define SD__APPMODEL_KEY \
  L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\AppModelUnlock"
#define SD__APPX_POLICY_KEY L"SOFTWARE\\Policies\\Microsoft\\Windows\\Appx"
#define SD__DEV_VALUE L"AllowDevelopmentWithoutDevLicense"
#define SD__NT_VERSION_KEY \
  L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"

typedef LONG(WINAPI* sd__rtl_get_version_fn)(OSVERSIONINFOEXW*);
typedef const char*(__cdecl* sd__wine_get_version_fn)(void);

/* GetProcAddress returns FARPROC; going through a generic function pointer
 * type keeps gcc's -Wcast-function-type quiet about the real signature. */
typedef void (*sd__any_fn)(void);

static sd__any_fn sd__ntdll_proc(const char* name) {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  if (ntdll == NULL) return NULL;
  return (sd__any_fn)GetProcAddress(ntdll, name);
}

#ifndef RRF_SUBKEY_WOW6464KEY
#define RRF_SUBKEY_WOW6464KEY 0x00010000
#endif

/* RegGetValueW on HKLM\key in the 64-bit view of the registry, the one
 * Windows itself reads: a 32-bit process would otherwise be sent to
 * SOFTWARE\WOW6432Node, where the Developer Mode value and the policy
 * are not (or are stale). RRF_SUBKEY_WOW6464KEY is known from Windows 10
 * on; before, RegGetValueW rejects it (ERROR_INVALID_PARAMETER) and the
 * key is opened with KEY_WOW64_64KEY instead. In a 64-bit process both
 * name the view it reads anyway. */
static LSTATUS sd__reg_get(const WCHAR* key, const WCHAR* name, DWORD flags,
                           DWORD* type, void* data, DWORD* size) {
  DWORD given = *size;
  HKEY h;
  LSTATUS rc;

  rc = RegGetValueW(HKEY_LOCAL_MACHINE, key, name,
                    flags | RRF_SUBKEY_WOW6464KEY, type, data, size);
  if (rc != ERROR_INVALID_PARAMETER) return rc;
  *size = given;
  rc = RegOpenKeyExW(HKEY_LOCAL_MACHINE, key, 0,
                     KEY_QUERY_VALUE | KEY_WOW64_64KEY, &h);
  if (rc != ERROR_SUCCESS) return rc;
  rc = RegGetValueW(h, NULL, name, flags, type, data, size);
  RegCloseKey(h);
  return rc;
}

/* Reads a value of any type; returns 0 and its type and first 4 bytes
 * (enough for a DWORD), or the registry's error. A value too large for
 * the buffer is still reported with its type. */
static LSTATUS sd__reg_dword(const WCHAR* key, const WCHAR* name,
                             DWORD* type, DWORD* value) {
  BYTE data[64];
  DWORD size = sizeof(data);
  LSTATUS rc;

  *type = REG_NONE;
  *value = 0;
  rc = sd__reg_get(key, name, RRF_RT_ANY | RRF_NOEXPAND, type, data, &size);
  if (rc == ERROR_MORE_DATA) return ERROR_SUCCESS;
  if (rc != ERROR_SUCCESS) return rc;
  if (*type == REG_DWORD && size == sizeof(DWORD)) memcpy(value, data, 4);
  return ERROR_SUCCESS;
}

static void sd__developer_mode(sd_facts* f) {
  DWORD type;
  DWORD value;

  if (sd__reg_dword(SD__APPMODEL_KEY, SD__DEV_VALUE, &type, &value) ==
      ERROR_SUCCESS) {
    /* Only a DWORD 1 counts: tools that test for the key, or for a string
     * "1", report Developer Mode that Windows does not see. */
    sd_fact_bool(f, "developerMode", type == REG_DWORD && value == 1);
    if (type == REG_DWORD) sd_fact_int(f, "developerModeValue", value);
    sd_fact_int(f, "developerModeValueType", type);
  } else {
    sd_fact_bool(f, "developerMode", 0);
  }
  if (sd__reg_dword(SD__APPX_POLICY_KEY, SD__DEV_VALUE, &type, &value) ==
          ERROR_SUCCESS &&
      type == REG_DWORD) {
    sd_fact_int(f, "developerModePolicy", value);
  }
}

static void sd__os_version(sd_facts* f) {
  sd__rtl_get_version_fn rtl_get_version;
  OSVERSIONINFOEXW v;
  WCHAR edition[256];
  DWORD size = sizeof(edition);

  rtl_get_version =
      (sd__rtl_get_version_fn)sd__ntdll_proc("RtlGetVersion");
  memset(&v, 0, sizeof(v));
  v.dwOSVersionInfoSize = sizeof(v);
  if (rtl_get_version != NULL && rtl_get_version(&v) == 0) {
    sd_fact_int(f, "osMajor", v.dwMajorVersion);
    sd_fact_int(f, "osMinor", v.dwMinorVersion);
    sd_fact_int(f, "osBuild", v.dwBuildNumber);
    sd_fact_int(f, "productType", v.wProductType);
  }

  if (sd__reg_get(SD__NT_VERSION_KEY, L"EditionID", RRF_RT_REG_SZ, NULL,
                  edition, &size) == ERROR_SUCCESS) {
    sd__fact_wstr(f, "editionId", edition);
    sd_fact_bool(f, "isHomeEdition", wcsncmp(edition, L"Core", 4) == 0);
  }
}

/* GetTokenInformation into a malloc'd buffer of the size it asks for. */
static void* sd__token_info(HANDLE token, TOKEN_INFORMATION_CLASS cls) {
  DWORD size = 0;
  void* buf;

  if (!GetTokenInformation(token, cls, NULL, 0, &size) &&
      GetLastError() != ERROR_INSUFFICIENT_BUFFER) {
    return NULL;
  }
  buf = malloc(size > 0 ? size : 1);
  if (buf == NULL) return NULL;
  if (!GetTokenInformation(token, cls, buf, size, &size)) {
    free(buf);
    return NULL;
  }
  return buf;
}

static void sd__symlink_privilege(HANDLE token, sd_facts* f) {
  TOKEN_PRIVILEGES* privs;
  LUID luid;
  DWORD i;
  int present = 0;
  int enabled = 0;

  /* Compare by LUID, which is what the token holds; the name is only how
   * this machine spells it. */
  if (!LookupPrivilegeValueW(NULL, L"SeCreateSymbolicLinkPrivilege",
                             &luid)) {
    sd_fact_int(f, "symlinkPrivilegeLookupError", (int64_t)GetLastError());
    goto done;
  }
  privs = sd__token_info(token, TokenPrivileges);
  if (privs == NULL) goto done;
  for (i = 0; i < privs->PrivilegeCount; i++) {
    if (privs->Privileges[i].Luid.LowPart == luid.LowPart &&
        privs->Privileges[i].Luid.HighPart == luid.HighPart) {
      present = 1;
      enabled = (privs->Privileges[i].Attributes & SE_PRIVILEGE_ENABLED) != 0;
      break;
    }
  }
  free(privs);

done:
  sd_fact_bool(f, "symlinkPrivilegePresent", present);
  sd_fact_bool(f, "symlinkPrivilegeEnabled", enabled);
}

static void sd__account(HANDLE token, sd_facts* f) {
  TOKEN_USER* user;
  WCHAR name[256];
  WCHAR domain[256];
  WCHAR full[520];
  DWORD name_len = 256;
  DWORD domain_len = 256;
  SID_NAME_USE use;
  WCHAR* sid_str;

  user = sd__token_info(token, TokenUser);
  if (user == NULL) return;
  if (ConvertSidToStringSidW(user->User.Sid, &sid_str)) {
    sd__fact_wstr(f, "accountSid", sid_str);
    LocalFree(sid_str);
  }
  if (LookupAccountSidW(NULL, user->User.Sid, name, &name_len, domain,
                        &domain_len, &use)) {
    if (domain_len > 0) {
      /* On success both lengths exclude the NUL and are below 256. */
      memcpy(full, domain, sizeof(WCHAR) * domain_len);
      full[domain_len] = L'\\';
      memcpy(full + domain_len + 1, name, sizeof(WCHAR) * (name_len + 1));
      sd__fact_wstr(f, "accountName", full);
    } else {
      sd__fact_wstr(f, "accountName", name);
    }
  }
  free(user);
}

static void sd__token(sd_facts* f) {
  TOKEN_ELEVATION elevation;
  TOKEN_ELEVATION_TYPE type;
  HANDLE token;
  DWORD size;

  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
    sd_fact_int(f, "tokenError", (int64_t)GetLastError());
    return;
  }
  if (GetTokenInformation(token, TokenElevation, &elevation,
                          sizeof(elevation), &size)) {
    sd_fact_bool(f, "elevated", elevation.TokenIsElevated != 0);
  }
  if (GetTokenInformation(token, TokenElevationType, &type, sizeof(type),
                          &size)) {
    sd_fact_str(f, "elevationType",
                type == TokenElevationTypeFull      ? "full"
                : type == TokenElevationTypeLimited ? "limited"
                                                    : "default");
    sd_fact_int(f, "elevationTypeValue", (int64_t)type);
  }
  sd__symlink_privilege(token, f);
  sd__account(token, f);
  CloseHandle(token);
}

static void sd__wine(sd_facts* f) {
  sd__wine_get_version_fn get_version =
      (sd__wine_get_version_fn)sd__ntdll_proc("wine_get_version");
  if (get_version != NULL) sd_fact_str(f, "wineVersion", get_version());
}

void sd_system_facts(sd_facts* out) {
  memset(out, 0, sizeof(*out));
  sd__developer_mode(out);
  sd__os_version(out);
  sd__token(out);
  sd__wine(out);
}
