/* sd_grant_symlink_right: gives an account the "Create symbolic links"
 * user right (SeCreateSymbolicLinkPrivilege) through the LSA, what
 * secpol.msc does, on every edition including Home. Needs an elevated
 * caller; takes effect at the account's next logon. */
#include <stdlib.h>

#include "internal.h"

#include <ntsecapi.h>

#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#endif

static const WCHAR sd__right[] = L"SeCreateSymbolicLinkPrivilege";

/* The SID of the user this process runs as, copied into sid. */
static int sd__current_user_sid(BYTE* sid, DWORD size, sd_status* st) {
  HANDLE token = NULL;
  /* A union keeps TOKEN_USER's pointer member aligned. */
  union {
    TOKEN_USER user;
    BYTE bytes[sizeof(TOKEN_USER) + SECURITY_MAX_SID_SIZE];
  } buf;
  DWORD got = 0;
  int err = 0;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) {
    return sd__win_fail(st, GetLastError(), "OpenProcessToken");
  }
  if (!GetTokenInformation(token, TokenUser, &buf, sizeof(buf), &got) ||
      !CopySid(size, sid, buf.user.User.Sid)) {
    err = sd__win_fail(st, GetLastError(), "GetTokenInformation");
  }
  CloseHandle(token);
  return err;
}

int sd_grant_symlink_right(const char* account, sd_status* st) {
  BYTE sid[SECURITY_MAX_SID_SIZE];
  DWORD sid_size = sizeof(sid);
  WCHAR domain[256];
  DWORD domain_size = sizeof(domain) / sizeof(domain[0]);
  SID_NAME_USE use;
  WCHAR* name = NULL;
  DWORD winerror = 0;
  LSA_OBJECT_ATTRIBUTES attrs;
  LSA_HANDLE policy = NULL;
  LSA_UNICODE_STRING right;
  NTSTATUS status;
  int err;

  if (account == NULL) {
    err = sd__current_user_sid(sid, sid_size, st);
    if (err != 0) return err;
  } else {
    err = sd__utf8_to_utf16(account, &name, &winerror);
    if (err != 0) {
      sd__status_set(st, err, winerror, "LookupAccountName");
      return err;
    }
    if (!LookupAccountNameW(NULL, name, sid, &sid_size, domain, &domain_size,
                            &use)) {
      err = sd__win_fail(st, GetLastError(), "LookupAccountName");
      free(name);
      return err;
    }
    free(name);
  }

  ZeroMemory(&attrs, sizeof(attrs));
  /* POLICY_CREATE_ACCOUNT: the account may have no LSA account object yet. */
  status = LsaOpenPolicy(NULL, &attrs, POLICY_LOOKUP_NAMES | POLICY_CREATE_ACCOUNT,
                         &policy);
  if (status != STATUS_SUCCESS) {
    return sd__win_fail(st, LsaNtStatusToWinError(status), "LsaOpenPolicy");
  }
  right.Buffer = (PWSTR)sd__right;
  right.Length = (USHORT)(sizeof(sd__right) - sizeof(WCHAR));
  right.MaximumLength = (USHORT)sizeof(sd__right);
  status = LsaAddAccountRights(policy, (PSID)sid, &right, 1);
  LsaClose(policy);
  if (status != STATUS_SUCCESS) {
    return sd__win_fail(st, LsaNtStatusToWinError(status), "LsaAddAccountRights");
  }
  return 0;
}
