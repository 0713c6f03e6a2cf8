/* libFuzzer harness for the Node-API glue, src/binding.c: the arguments
 * JS hands in (strings and Buffers with NUL bytes, wrong types, missing
 * arguments, flags, types) and the values and errors built from what the
 * core reports (targets, kept paths, codes, facts), sync and promise forms.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -DNAPI_VERSION=8 \
 *     -I/usr/include/node -Isrc test/c/fuzz-binding.c src/binding.c \
 *     src/common.c -o fuzz-binding
 *
 * Node is not linked: this file is a small fake of the Node-API calls the
 * glue makes (values are tagged structs freed after each input), and of
 * the sd_* core, whose answers come from the input. The module is
 * initialised per input and a function picked from what it exports.
 *
 * Input: byte 0 the function (index into the exported functions), byte 1
 * argc (low 2 bits, plus 1) and whether async work completes as cancelled
 * (bit 7), byte 2 the Node-API call that fails (0: none; n: the n-th), byte
 * 3 the core's answer (code, syscall, target, kept path), byte 4 kinds and
 * fact count; then per argument a type byte and a length-prefixed payload;
 * then the core's strings (target, kept path).
 *
 * Checks, beyond ASan/UBSan/LSan (every request and value freed):
 *   - a path argument reaches the core exactly as given, or not at all
 *     when it holds a NUL byte or is empty;
 *   - a call that returns NULL has an exception pending, unless the
 *     injected failure hit the throw itself;
 *   - without an injected failure: every promise made is settled exactly
 *     once; every async work made is deleted exactly once; an error's
 *     message names the code and quotes the path whole.
 */
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

#define REQUIRE(c) \
  do {             \
    if (!(c)) abort(); \
  } while (0)

/* --- fake values ---------------------------------------------------------- */

typedef enum {
  V_UNDEFINED,
  V_NULL,
  V_BOOL,
  V_NUMBER,
  V_STRING,
  V_BUFFER,
  V_OBJECT,
  V_ERROR,
  V_FUNCTION,
  V_PROMISE
} vkind;

struct napi_value__ {
  vkind kind;
  int b;
  double num;
  char* bytes; /* strings and Buffers; NUL after len */
  size_t len;
  char* message; /* errors: a copy of the message */
  struct napi_value__* next;
};

struct napi_deferred__ {
  int settled;
  struct napi_deferred__* next;
};

struct napi_async_work__ {
  napi_async_execute_callback execute;
  napi_async_complete_callback complete;
  void* data;
  int queued;
  int deleted;
  struct napi_async_work__* next;
};

struct napi_callback_info__ {
  size_t argc;
  napi_value argv[4];
};

#define FN_MAX 32
static struct {
  struct napi_value__* values;
  struct napi_deferred__* deferreds;
  struct napi_async_work__* works;
  napi_value pending;
  napi_extended_error_info last;
  unsigned calls;
  unsigned fail_at;
  int failed;
  const char* failed_fn;
  /* What napi_define_properties exported. */
  size_t fn_count;
  const char* fn_name[FN_MAX];
  napi_callback fn[FN_MAX];
} fake;

static struct napi_env__* const env_ptr = (struct napi_env__*)&fake;

static napi_value new_value(vkind kind) {
  napi_value v = calloc(1, sizeof(*v));
  REQUIRE(v != NULL);
  v->kind = kind;
  v->next = fake.values;
  fake.values = v;
  return v;
}

static napi_value new_bytes(vkind kind, const char* s, size_t len) {
  napi_value v = new_value(kind);
  v->bytes = malloc(len + 1);
  REQUIRE(v->bytes != NULL);
  if (len > 0) memcpy(v->bytes, s, len);
  v->bytes[len] = '\0';
  v->len = len;
  return v;
}

static void fake_reset(void) {
  while (fake.values != NULL) {
    napi_value v = fake.values;
    fake.values = v->next;
    free(v->bytes);
    free(v->message);
    free(v);
  }
  while (fake.deferreds != NULL) {
    struct napi_deferred__* d = fake.deferreds;
    fake.deferreds = d->next;
    free(d);
  }
  while (fake.works != NULL) {
    struct napi_async_work__* w = fake.works;
    fake.works = w->next;
    free(w);
  }
  fake.pending = NULL;
  fake.calls = 0;
  fake.failed = 0;
  fake.failed_fn = NULL;
  fake.fn_count = 0;
  memset(&fake.last, 0, sizeof(fake.last));
}

/* Every call: the injected failure, else success (which clears the last
 * error, as Node does). */
static napi_status status(napi_status s, const char* msg) {
  fake.last.error_code = s;
  fake.last.error_message = msg;
  return s;
}

static napi_status enter(napi_env env, const char* fn) {
  REQUIRE(env == env_ptr);
  fake.calls++;
  if (fake.fail_at != 0 && fake.calls == fake.fail_at) {
    fake.failed = 1;
    fake.failed_fn = fn;
    return status(napi_generic_failure, "Unknown failure (injected)");
  }
  return status(napi_ok, NULL);
}

#define ENTER(env)                     \
  do {                                 \
    napi_status s_ = enter(env, __func__);       \
    if (s_ != napi_ok) return s_;      \
  } while (0)
#define ARG(p)                                               \
  do {                                                       \
    if ((p) == NULL) return status(napi_invalid_arg, "Invalid argument"); \
  } while (0)

/* A napi_value handed in must be one this fake made for this input: an
 * uninitialised variable passed on is caught here (unless its garbage
 * happens to be a live value). */
static int live(napi_value v) {
  napi_value w;
  for (w = fake.values; w != NULL; w = w->next) {
    if (w == v) return 1;
  }
  return 0;
}
#define VAL(v)                 \
  do {                         \
    ARG(v);                    \
    REQUIRE(live(v));          \
  } while (0)

/* --- the Node-API calls binding.c makes ------------------------------------ */

napi_status napi_get_last_error_info(node_api_basic_env env,
                                     const napi_extended_error_info** result) {
  REQUIRE(env == env_ptr);
  /* Does not reset the last error, and cannot fail. */
  *result = &fake.last;
  return napi_ok;
}

napi_status napi_is_exception_pending(napi_env env, bool* result) {
  ENTER(env);
  ARG(result);
  *result = fake.pending != NULL;
  return napi_ok;
}

napi_status napi_get_and_clear_last_exception(napi_env env,
                                              napi_value* result) {
  ENTER(env);
  ARG(result);
  if (fake.pending == NULL) {
    *result = new_value(V_UNDEFINED);
  } else {
    *result = fake.pending;
    fake.pending = NULL;
  }
  return napi_ok;
}

static napi_status throw_error(napi_env env, const char* code,
                               const char* msg, const char* fn) {
  napi_value e;
  napi_status s = enter(env, fn);
  if (s != napi_ok) return s;
  ARG(msg);
  if (fake.pending != NULL)
    return status(napi_pending_exception, "An exception is pending");
  (void)code;
  e = new_value(V_ERROR);
  e->message = malloc(strlen(msg) + 1);
  REQUIRE(e->message != NULL);
  memcpy(e->message, msg, strlen(msg) + 1);
  fake.pending = e;
  return napi_ok;
}

napi_status napi_throw_error(napi_env env, const char* code,
                             const char* msg) {
  return throw_error(env, code, msg, __func__);
}

napi_status napi_throw_type_error(napi_env env, const char* code,
                                  const char* msg) {
  return throw_error(env, code, msg, __func__);
}

napi_status napi_throw(napi_env env, napi_value error) {
  ENTER(env);
  VAL(error);
  if (fake.pending != NULL)
    return status(napi_pending_exception, "An exception is pending");
  fake.pending = error;
  return napi_ok;
}

napi_status napi_typeof(napi_env env, napi_value value,
                        napi_valuetype* result) {
  ENTER(env);
  VAL(value);
  ARG(result);
  switch (value->kind) {
    case V_UNDEFINED: *result = napi_undefined; break;
    case V_NULL: *result = napi_null; break;
    case V_BOOL: *result = napi_boolean; break;
    case V_NUMBER: *result = napi_number; break;
    case V_STRING: *result = napi_string; break;
    case V_FUNCTION: *result = napi_function; break;
    default: *result = napi_object;
  }
  return napi_ok;
}

napi_status napi_is_buffer(napi_env env, napi_value value, bool* result) {
  ENTER(env);
  VAL(value);
  ARG(result);
  *result = value->kind == V_BUFFER;
  return napi_ok;
}

napi_status napi_get_buffer_info(napi_env env, napi_value value, void** data,
                                 size_t* length) {
  ENTER(env);
  VAL(value);
  if (value->kind != V_BUFFER) return status(napi_invalid_arg, "Invalid argument");
  if (data != NULL) *data = value->len > 0 ? value->bytes : NULL;
  if (length != NULL) *length = value->len;
  return napi_ok;
}

napi_status napi_get_value_string_utf8(napi_env env, napi_value value,
                                       char* buf, size_t bufsize,
                                       size_t* result) {
  size_t n;
  ENTER(env);
  VAL(value);
  if (value->kind != V_STRING)
    return status(napi_string_expected, "A string was expected");
  if (buf == NULL) {
    ARG(result);
    *result = value->len;
    return napi_ok;
  }
  if (bufsize == 0) {
    if (result != NULL) *result = 0;
    return napi_ok;
  }
  n = value->len < bufsize - 1 ? value->len : bufsize - 1;
  memcpy(buf, value->bytes, n);
  buf[n] = '\0';
  if (result != NULL) *result = n;
  return napi_ok;
}

napi_status napi_get_value_uint32(napi_env env, napi_value value,
                                  uint32_t* result) {
  double d;
  ENTER(env);
  VAL(value);
  ARG(result);
  if (value->kind != V_NUMBER)
    return status(napi_number_expected, "A number was expected");
  /* ToUint32: modulo 2^32; NaN, infinities and (here) anything past
   * 2^63 give 0. */
  d = value->num;
  if (d == d && d > -9223372036854775808.0 && d < 9223372036854775808.0) {
    *result = (uint32_t)(uint64_t)(int64_t)d;
  } else {
    *result = 0;
  }
  return napi_ok;
}

napi_status napi_get_value_double(napi_env env, napi_value value,
                                  double* result) {
  ENTER(env);
  VAL(value);
  ARG(result);
  if (value->kind != V_NUMBER)
    return status(napi_number_expected, "A number was expected");
  *result = value->num;
  return napi_ok;
}

napi_status napi_get_value_bool(napi_env env, napi_value value,
                                bool* result) {
  ENTER(env);
  VAL(value);
  ARG(result);
  if (value->kind != V_BOOL)
    return status(napi_boolean_expected, "A boolean was expected");
  *result = value->b != 0;
  return napi_ok;
}

napi_status napi_get_null(napi_env env, napi_value* result) {
  ENTER(env);
  ARG(result);
  *result = new_value(V_NULL);
  return napi_ok;
}

napi_status napi_get_undefined(napi_env env, napi_value* result) {
  ENTER(env);
  ARG(result);
  *result = new_value(V_UNDEFINED);
  return napi_ok;
}

napi_status napi_get_boolean(napi_env env, bool value, napi_value* result) {
  ENTER(env);
  ARG(result);
  *result = new_value(V_BOOL);
  (*result)->b = value;
  return napi_ok;
}

napi_status napi_create_double(napi_env env, double value,
                               napi_value* result) {
  ENTER(env);
  ARG(result);
  *result = new_value(V_NUMBER);
  (*result)->num = value;
  return napi_ok;
}

napi_status napi_create_int32(napi_env env, int32_t value,
                              napi_value* result) {
  return napi_create_double(env, value, result);
}

napi_status napi_create_object(napi_env env, napi_value* result) {
  ENTER(env);
  ARG(result);
  *result = new_value(V_OBJECT);
  return napi_ok;
}

napi_status napi_create_string_utf8(napi_env env, const char* str,
                                    size_t length, napi_value* result) {
  ENTER(env);
  ARG(result);
  if (str == NULL && length != 0) return status(napi_invalid_arg, "Invalid argument");
  if (length == NAPI_AUTO_LENGTH) length = str != NULL ? strlen(str) : 0;
  if (length > INT32_MAX) return status(napi_invalid_arg, "Invalid argument");
  *result = new_bytes(V_STRING, str, length);
  return napi_ok;
}

napi_status napi_create_buffer_copy(napi_env env, size_t length,
                                    const void* data, void** result_data,
                                    napi_value* result) {
  ENTER(env);
  ARG(result);
  if (length > 0) ARG(data);
  *result = new_bytes(V_BUFFER, data, length);
  if (result_data != NULL) *result_data = (*result)->bytes;
  return napi_ok;
}

napi_status napi_create_error(napi_env env, napi_value code, napi_value msg,
                              napi_value* result) {
  napi_value e;
  ENTER(env);
  VAL(msg);
  ARG(result);
  if (msg->kind != V_STRING)
    return status(napi_string_expected, "A string was expected");
  if (code != NULL) REQUIRE(live(code));
  if (code != NULL && code->kind != V_STRING)
    return status(napi_string_expected, "A string was expected");
  e = new_value(V_ERROR);
  e->message = malloc(msg->len + 1);
  REQUIRE(e->message != NULL);
  memcpy(e->message, msg->bytes, msg->len + 1);
  *result = e;
  return napi_ok;
}

napi_status napi_set_named_property(napi_env env, napi_value object,
                                    const char* utf8name, napi_value value) {
  ENTER(env);
  VAL(object);
  ARG(utf8name);
  VAL(value);
  if (object->kind != V_OBJECT && object->kind != V_ERROR)
    return status(napi_object_expected, "An object was expected");
  return napi_ok;
}

napi_status napi_define_properties(napi_env env, napi_value object,
                                   size_t property_count,
                                   const napi_property_descriptor* props) {
  size_t i;
  ENTER(env);
  VAL(object);
  if (property_count > 0) ARG(props);
  for (i = 0; i < property_count; i++) {
    REQUIRE(props[i].utf8name != NULL);
    REQUIRE((props[i].method != NULL) != (props[i].value != NULL));
    if (props[i].method != NULL && fake.fn_count < FN_MAX) {
      fake.fn_name[fake.fn_count] = props[i].utf8name;
      fake.fn[fake.fn_count++] = props[i].method;
    }
  }
  return napi_ok;
}

napi_status napi_get_cb_info(napi_env env, napi_callback_info cbinfo,
                             size_t* argc, napi_value* argv,
                             napi_value* this_arg, void** data) {
  size_t i;
  ENTER(env);
  ARG(cbinfo);
  if (argc != NULL) {
    if (*argc > 0) ARG(argv);
    for (i = 0; i < *argc; i++) {
      argv[i] = i < cbinfo->argc ? cbinfo->argv[i] : new_value(V_UNDEFINED);
    }
    *argc = cbinfo->argc;
  }
  if (this_arg != NULL) *this_arg = new_value(V_OBJECT);
  if (data != NULL) *data = NULL;
  return napi_ok;
}

napi_status napi_create_promise(napi_env env, napi_deferred* deferred,
                                napi_value* promise) {
  struct napi_deferred__* d;
  ENTER(env);
  ARG(deferred);
  ARG(promise);
  d = calloc(1, sizeof(*d));
  REQUIRE(d != NULL);
  d->next = fake.deferreds;
  fake.deferreds = d;
  *deferred = d;
  *promise = new_value(V_PROMISE);
  return napi_ok;
}

static napi_status settle(napi_env env, napi_deferred d, napi_value v) {
  ENTER(env);
  ARG(d);
  VAL(v);
  /* Node frees the deferred here: a second settle is a use after free. */
  REQUIRE(d->settled == 0);
  d->settled = 1;
  return napi_ok;
}

napi_status napi_resolve_deferred(napi_env env, napi_deferred deferred,
                                  napi_value resolution) {
  return settle(env, deferred, resolution);
}

napi_status napi_reject_deferred(napi_env env, napi_deferred deferred,
                                 napi_value rejection) {
  return settle(env, deferred, rejection);
}

napi_status napi_create_async_work(napi_env env, napi_value async_resource,
                                   napi_value async_resource_name,
                                   napi_async_execute_callback execute,
                                   napi_async_complete_callback complete,
                                   void* data, napi_async_work* result) {
  struct napi_async_work__* w;
  (void)async_resource;
  ENTER(env);
  ARG(async_resource_name);
  ARG(execute);
  ARG(result);
  w = calloc(1, sizeof(*w));
  REQUIRE(w != NULL);
  w->execute = execute;
  w->complete = complete;
  w->data = data;
  w->next = fake.works;
  fake.works = w;
  *result = w;
  return napi_ok;
}

napi_status napi_queue_async_work(node_api_basic_env env,
                                  napi_async_work work) {
  ENTER(env);
  ARG(work);
  REQUIRE(!work->deleted && !work->queued);
  work->queued = 1;
  return napi_ok;
}

napi_status napi_delete_async_work(napi_env env, napi_async_work work) {
  ENTER(env);
  ARG(work);
  REQUIRE(!work->deleted);
  work->deleted = 1;
  return napi_ok;
}

/* --- the core, answering as the input says ---------------------------------- */

static struct {
  int code;
  const char* syscall;
  uint32_t winerror;
  const char* target; /* inspect's target, or NULL */
  const char* kept;   /* removeLink's kept path, or NULL */
  int appeared;
  sd_kind kind;
  int facts;
  /* What reached the core. */
  int calls;
  char* path;
  char* dest;
} core;

static char* dupstr(const char* s) {
  char* d;
  if (s == NULL) return NULL;
  d = malloc(strlen(s) + 1);
  REQUIRE(d != NULL);
  memcpy(d, s, strlen(s) + 1);
  return d;
}

static void core_saw(const char* path, const char* dest) {
  core.calls++;
  free(core.path);
  free(core.dest);
  core.path = dupstr(path);
  core.dest = dupstr(dest);
}

static int core_answer(sd_status* st) {
  sd__status_set(st, core.code, core.code != 0 ? core.winerror : 0,
                 core.code != 0 ? core.syscall : NULL);
  return core.code;
}

int sd_symlink(const char* target, const char* path, sd_link_type type,
               sd_status* st) {
  REQUIRE(type == SD_LINK_FILE || type == SD_LINK_DIR ||
          type == SD_LINK_JUNCTION);
  core_saw(target, path);
  return core_answer(st);
}

int sd_hardlink(const char* existing, const char* path, sd_status* st) {
  core_saw(existing, path);
  return core_answer(st);
}

int sd_inspect(const char* path, sd_link_info* info, sd_status* st) {
  core_saw(path, NULL);
  memset(info, 0, sizeof(*info));
  if (core.code != 0) return core_answer(st);
  info->kind = core.kind;
  if (core.target != NULL) {
    info->target = dupstr(core.target);
    REQUIRE(info->target != NULL);
  }
  info->relative = 1;
  info->nlink = 1;
  return core_answer(st);
}

void sd_link_info_free(sd_link_info* info) {
  free(info->target);
  info->target = NULL;
}

int sd_remove_link(const char* path, sd_kept* kept, sd_status* st) {
  core_saw(path, NULL);
  memset(kept, 0, sizeof(*kept));
  /* A kept path only with a failure, as sd.h says. */
  if (core.code != 0 && core.kept != NULL) {
    kept->path = dupstr(core.kept);
    REQUIRE(kept->path != NULL);
    kept->appeared = core.appeared;
    kept->kind = core.kind;
  }
  return core_answer(st);
}

int sd_rename(const char* from, const char* to, int flags, sd_status* st) {
  REQUIRE(flags == 0 || flags == SD_RENAME_NOREPLACE ||
          flags == SD_RENAME_EXCHANGE);
  core_saw(from, to);
  return core_answer(st);
}

static void fill_facts(sd_facts* f) {
  int i;
  for (i = 0; i < core.facts; i++) {
    switch (i % 3) {
      case 0: sd_fact_bool(f, "b", i & 4); break;
      case 1: sd_fact_int(f, "i", -i); break;
      default: sd_fact_str(f, "s", core.target);
    }
  }
}

int sd_probe(const char* dir, sd_probe_result* out, sd_status* st) {
  core_saw(dir, NULL);
  memset(out, 0, sizeof(*out));
  out->file_symlink.tried = 1;
  out->file_symlink.ok = core.kind & 1;
  sd__status_set(&out->file_symlink.status, SD_EPERM, 1314, core.syscall);
  out->junction.tried = 1;
  fill_facts(&out->facts);
  return core_answer(st);
}

int sd_grant_symlink_right(const char* account, sd_status* st) {
  core_saw(account, NULL);
  return core_answer(st);
}

void sd_system_facts(sd_facts* out) {
  core_saw(NULL, NULL);
  fill_facts(out);
}

int sd_random_bytes(unsigned char* buf, size_t n) {
  memset(buf, 0x5a, n);
  return 0;
}

napi_value napi_register_module_v1(napi_env env, napi_value exports);

/* --- one call ------------------------------------------------------------------ */

static size_t take(const uint8_t** p, size_t* n, const uint8_t** out) {
  size_t len;
  if (*n == 0) {
    *out = *p;
    return 0;
  }
  len = **p;
  (*p)++;
  (*n)--;
  if (len > *n) len = *n;
  *out = *p;
  *p += len;
  *n -= len;
  return len;
}

static char* take_str(const uint8_t** p, size_t* n) {
  const uint8_t* s;
  size_t len = take(p, n, &s);
  char* out = malloc(len + 1);
  REQUIRE(out != NULL);
  if (len > 0) memcpy(out, s, len);
  out[len] = '\0';
  return out;
}

static napi_value make_arg(const uint8_t** p, size_t* n) {
  const uint8_t* s;
  size_t len;
  unsigned t;
  napi_value v;
  if (*n == 0) return new_value(V_UNDEFINED);
  t = **p;
  (*p)++;
  (*n)--;
  switch (t % 9) {
    case 0: return new_value(V_UNDEFINED);
    case 1: return new_value(V_NULL);
    case 2:
      v = new_value(V_BOOL);
      v->b = t >> 4;
      return v;
    case 3: {
      /* A number: small integers most of the time, else 8 raw bytes. */
      double d = (double)((int)(t >> 4) - 4);
      if ((t >> 4) == 15 && *n >= 8) {
        memcpy(&d, *p, 8);
        *p += 8;
        *n -= 8;
      }
      v = new_value(V_NUMBER);
      v->num = d;
      return v;
    }
    case 4:
    case 5:
      len = take(p, n, &s);
      return new_bytes(t % 9 == 4 ? V_STRING : V_BUFFER, (const char*)s, len);
    case 6: return new_value(V_OBJECT);
    case 7: return new_value(V_FUNCTION);
    default: return new_value(V_ERROR);
  }
}

/* The path argument as the core must see it, or NULL when the glue must
 * refuse it (not a string or Buffer, empty, or with a NUL byte). */
static const char* expected_path(napi_value v) {
  if (v->kind != V_STRING && v->kind != V_BUFFER) return NULL;
  if (v->len == 0 || memchr(v->bytes, '\0', v->len) != NULL) return NULL;
  return v->bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int codes[8] = {0, SD_EPERM, SD_EEXIST, SD_ENOENT,
                               SD_EINVAL, SD_ENOTSUP, SD_UNKNOWN, -99999};
  static const char* const syscalls[4] = {"symlink", NULL, "readlink",
                                          "a-rather-long-syscall-name"};
  struct napi_callback_info__ info;
  napi_value exports, ret;
  const uint8_t* p;
  size_t n, i;
  char* target;
  char* kept;
  unsigned fn;
  int cancelled;
  const char* name;
  int is_sync;

  if (size < 5) return 0;
  fake_reset();
  memset(&core, 0, sizeof(core));
  fake.fail_at = data[2];
  core.code = codes[data[3] & 7];
  core.syscall = syscalls[(data[3] >> 3) & 3];
  core.winerror = (data[3] & 0x20) ? 5 : 0;
  core.appeared = (data[3] >> 6) & 1;
  core.kind = (sd_kind)(data[4] % 5);
  core.facts = (data[4] >> 3) % 32;
  cancelled = (data[1] & 0x80) != 0;

  p = data + 5;
  n = size - 5;
  info.argc = (data[1] & 3) + ((data[1] >> 2) & 1);
  for (i = 0; i < info.argc; i++) info.argv[i] = make_arg(&p, &n);
  target = take_str(&p, &n);
  kept = take_str(&p, &n);
  core.target = (data[3] & 0x80) ? NULL : target;
  core.kept = kept[0] != '\0' ? kept : NULL;

  exports = new_value(V_OBJECT);
  if (napi_register_module_v1(env_ptr, exports) == NULL || fake.fn_count == 0) {
    /* Only an injected failure stops the module from loading. */
    REQUIRE(fake.failed);
    goto done;
  }
  fn = data[0] % fake.fn_count;
  name = fake.fn_name[fn];
  is_sync = strlen(name) > 4 && strcmp(name + strlen(name) - 4, "Sync") == 0;
  fake.pending = NULL;
  ret = fake.fn[fn](env_ptr, &info);

  /* Async work runs after the call returns, on the thread pool. */
  {
    struct napi_async_work__* w;
    for (w = fake.works; w != NULL; w = w->next) {
      if (w->queued && !w->deleted) {
        w->execute(env_ptr, w->data);
        w->complete(env_ptr, cancelled ? napi_cancelled : napi_ok, w->data);
      }
    }
  }

  /* A NULL return hands JS an exception, unless what failed was the very
   * call that throws (or asks whether one is pending, or gets undefined). */
  if (ret == NULL && fake.pending == NULL) {
    REQUIRE(fake.failed && (strstr(fake.failed_fn, "throw") != NULL ||
                            strstr(fake.failed_fn, "exception") != NULL ||
                            strstr(fake.failed_fn, "undefined") != NULL));
  }
  /* The first argument is a path for every function but systemFacts. */
  if (core.calls > 0 && info.argc > 0 && core.path != NULL) {
    const char* want = expected_path(info.argv[0]);
    REQUIRE(want != NULL && strcmp(core.path, want) == 0);
  }
  if (!fake.failed) {
    struct napi_deferred__* d;
    struct napi_async_work__* w;
    for (d = fake.deferreds; d != NULL; d = d->next) REQUIRE(d->settled);
    for (w = fake.works; w != NULL; w = w->next) REQUIRE(w->deleted);
    if (is_sync && ret == NULL && core.calls > 0 && core.code != 0 &&
        core.path != NULL && fake.pending->message != NULL &&
        fake.pending->kind == V_ERROR) {
      /* "CODE: message, syscall 'path'...": the path whole. */
      const char* m = fake.pending->message;
      const char* code = sd_err_name(core.code);
      REQUIRE(strncmp(m, code, strlen(code)) == 0);
      {
        size_t plen = strlen(core.path);
        char* quoted = malloc(plen + 3);
        REQUIRE(quoted != NULL);
        quoted[0] = '\'';
        memcpy(quoted + 1, core.path, plen);
        quoted[plen + 1] = '\'';
        quoted[plen + 2] = '\0';
        REQUIRE(strstr(m, quoted) != NULL);
        free(quoted);
      }
    }
  }

done:
  free(core.path);
  free(core.dest);
  free(target);
  free(kept);
  fake_reset();
  return 0;
}
