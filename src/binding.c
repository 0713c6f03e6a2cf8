/* Node-API glue: turns JS calls into sd_* calls and results into JS values.
 *
 * Each operation has one request struct and one worker (sd__execute). The
 * sync form runs the worker inline; the promise form runs the same worker on
 * the thread pool with napi_async_work, so both forms fail the same way.
 * Arguments are validated in JS (lib/), but nothing malformed may reach the
 * platform layer, so the glue checks types and NUL bytes again.
 */
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd.h"

#define NAPI_CALL(env, call)                 \
  do {                                       \
    if ((call) != napi_ok) {                 \
      sd__throw_napi_failure(env);           \
      return NULL;                           \
    }                                        \
  } while (0)

typedef enum {
  SD_OP_SYMLINK,
  SD_OP_HARDLINK,
  SD_OP_INSPECT,
  SD_OP_REMOVE_LINK,
  SD_OP_PROBE,
  SD_OP_RENAME
} sd_op;

typedef struct {
  sd_op op;
  char* path;            /* first path argument (Node's err.path) */
  char* dest;            /* second path argument (Node's err.dest), or NULL */
  sd_link_type type;
  int flags;             /* rename: SD_RENAME_* */
  int as_buffer;         /* inspect: the target as a Buffer of its bytes */
  int result;
  sd_status status;
  sd_link_info info;
  sd_kept kept;          /* removeLink: what a race left aside, and where */
  sd_probe_result* probe;
  napi_async_work work;
  napi_deferred deferred;
} sd_req;

static void sd__throw_napi_failure(napi_env env) {
  const napi_extended_error_info* info = NULL;
  const char* msg = NULL;
  bool pending = false;
  /* Read the failure first: every Node-API call, napi_is_exception_pending
   * included, resets the last error. The message is a static string. */
  if (napi_get_last_error_info(env, &info) == napi_ok && info != NULL)
    msg = info->error_message;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  napi_throw_error(env, NULL,
                   msg != NULL ? msg : "symlink-doctor: Node-API call failed");
}

static void sd__req_free(sd_req* req) {
  if (req == NULL) return;
  free(req->path);
  free(req->dest);
  sd_link_info_free(&req->info);
  sd_kept_free(&req->kept);
  free(req->probe);
  free(req);
}

/* Throws a TypeError or Error with a Node-style code and returns NULL. */
static napi_value sd__throw_arg(napi_env env, const char* code,
                                const char* msg, int type_error) {
  if (type_error) {
    napi_throw_type_error(env, code, msg);
  } else {
    napi_throw_error(env, code, msg);
  }
  return NULL;
}

/* Copies a string or Buffer argument into a new NUL-terminated buffer.
 * Returns NULL with an exception pending when the argument is not a path. */
static char* sd__path_arg(napi_env env, napi_value value, const char* name) {
  napi_valuetype type;
  bool is_buffer = false;
  size_t len = 0;
  char* out = NULL;
  char msg[160];

  if (napi_typeof(env, value, &type) != napi_ok) goto napi_failed;
  if (type != napi_string) {
    if (napi_is_buffer(env, value, &is_buffer) != napi_ok) goto napi_failed;
  }
  if (type != napi_string && !is_buffer) {
    snprintf(msg, sizeof(msg),
             "The \"%s\" argument must be of type string or an instance of "
             "Buffer or URL.", name);
    sd__throw_arg(env, "ERR_INVALID_ARG_TYPE", msg, 1);
    return NULL;
  }
  if (is_buffer) {
    void* data = NULL;
    if (napi_get_buffer_info(env, value, &data, &len) != napi_ok)
      goto napi_failed;
    out = malloc(len + 1);
    if (out == NULL) goto oom;
    if (len > 0) memcpy(out, data, len);
    out[len] = '\0';
  } else {
    if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok)
      goto napi_failed;
    out = malloc(len + 1);
    if (out == NULL) goto oom;
    if (napi_get_value_string_utf8(env, value, out, len + 1, &len) !=
        napi_ok) {
      free(out);
      goto napi_failed;
    }
  }
  /* An embedded NUL would silently cut the path short in the OS call. */
  if (strlen(out) != len || len == 0) {
    free(out);
    snprintf(msg, sizeof(msg),
             len == 0 ? "The argument '%s' must be a non-empty path."
                      : "The argument '%s' must be a string or Uint8Array "
                        "without null bytes.",
             name);
    sd__throw_arg(env, "ERR_INVALID_ARG_VALUE", msg, 0);
    return NULL;
  }
  return out;

oom:
  napi_throw_error(env, "ENOMEM", "symlink-doctor: out of memory");
  return NULL;

napi_failed:
  /* The caller returns NULL to JS: that needs an exception pending. */
  sd__throw_napi_failure(env);
  return NULL;
}

static napi_status sd__set_str(napi_env env, napi_value obj, const char* key,
                               const char* value) {
  napi_value v;
  napi_status s;
  if (value == NULL) {
    s = napi_get_null(env, &v);
  } else {
    s = napi_create_string_utf8(env, value, NAPI_AUTO_LENGTH, &v);
  }
  if (s != napi_ok) return s;
  return napi_set_named_property(env, obj, key, v);
}

static napi_status sd__set_num(napi_env env, napi_value obj, const char* key,
                               double value) {
  napi_value v;
  napi_status s = napi_create_double(env, value, &v);
  if (s != napi_ok) return s;
  return napi_set_named_property(env, obj, key, v);
}

static napi_status sd__set_bool(napi_env env, napi_value obj, const char* key,
                                int value) {
  napi_value v;
  napi_status s = napi_get_boolean(env, value != 0, &v);
  if (s != napi_ok) return s;
  return napi_set_named_property(env, obj, key, v);
}

/* Builds an Error shaped like the ones Node's fs throws:
 * "EPERM: operation not permitted, symlink 'a' -> 'b'" with code, errno,
 * syscall, path, dest, and on Windows the raw winerror. With a note, the
 * message ends in "(note)" instead of "-> 'dest'" (dest is still set). */
static napi_value sd__fs_error(napi_env env, const sd_status* st,
                               const char* path, const char* dest,
                               const char* note) {
  const char* name = sd_err_name(st->code);
  const char* syscall = st->syscall != NULL ? st->syscall : "unknown";
  size_t size = strlen(name) + strlen(sd_strerror(st->code)) +
                strlen(syscall) + (path ? strlen(path) : 0) +
                (dest ? strlen(dest) : 0) + (note ? strlen(note) : 0) + 32;
  char* msg = malloc(size);
  napi_value code_v, msg_v, err = NULL;

  if (msg == NULL) return NULL;
  if (path != NULL && note != NULL) {
    snprintf(msg, size, "%s: %s, %s '%s' (%s)", name, sd_strerror(st->code),
             syscall, path, note);
  } else if (path != NULL && dest != NULL) {
    snprintf(msg, size, "%s: %s, %s '%s' -> '%s'", name,
             sd_strerror(st->code), syscall, path, dest);
  } else if (path != NULL) {
    snprintf(msg, size, "%s: %s, %s '%s'", name, sd_strerror(st->code),
             syscall, path);
  } else {
    snprintf(msg, size, "%s: %s, %s", name, sd_strerror(st->code), syscall);
  }
  if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code_v) !=
          napi_ok ||
      napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &msg_v) != napi_ok ||
      napi_create_error(env, code_v, msg_v, &err) != napi_ok) {
    free(msg);
    return NULL;
  }
  free(msg);
  if (sd__set_num(env, err, "errno", st->code) != napi_ok ||
      sd__set_str(env, err, "syscall", syscall) != napi_ok) {
    return NULL;
  }
  if (path != NULL && sd__set_str(env, err, "path", path) != napi_ok)
    return NULL;
  if (dest != NULL && sd__set_str(env, err, "dest", dest) != napi_ok)
    return NULL;
  if (st->winerror != 0 &&
      sd__set_num(env, err, "winerror", st->winerror) != napi_ok) {
    return NULL;
  }
  return err;
}

static napi_value sd__facts_object(napi_env env, const sd_facts* facts) {
  napi_value obj;
  int i;
  NAPI_CALL(env, napi_create_object(env, &obj));
  for (i = 0; i < facts->count; i++) {
    const sd_fact* f = &facts->items[i];
    switch (f->kind) {
      case SD_FACT_BOOL:
        NAPI_CALL(env, sd__set_bool(env, obj, f->key, (int)f->num));
        break;
      case SD_FACT_INT:
        NAPI_CALL(env, sd__set_num(env, obj, f->key, (double)f->num));
        break;
      case SD_FACT_STR:
        NAPI_CALL(env, sd__set_str(env, obj, f->key, f->str));
        break;
    }
  }
  return obj;
}

static napi_value sd__attempt_object(napi_env env, const sd_attempt* a) {
  napi_value obj;
  const sd_status* st = &a->status;
  int failed = a->tried && !a->ok;
  NAPI_CALL(env, napi_create_object(env, &obj));
  NAPI_CALL(env, sd__set_bool(env, obj, "tried", a->tried));
  NAPI_CALL(env, sd__set_bool(env, obj, "ok", a->tried && a->ok));
  NAPI_CALL(env, sd__set_str(env, obj, "code",
                             failed ? sd_err_name(st->code) : NULL));
  NAPI_CALL(env, sd__set_str(env, obj, "message",
                             failed ? sd_strerror(st->code) : NULL));
  NAPI_CALL(env, sd__set_str(env, obj, "syscall",
                             failed ? st->syscall : NULL));
  if (failed) {
    NAPI_CALL(env, sd__set_num(env, obj, "errno", st->code));
    NAPI_CALL(env, sd__set_num(env, obj, "winerror", st->winerror));
  } else {
    NAPI_CALL(env, sd__set_str(env, obj, "errno", NULL));
    NAPI_CALL(env, sd__set_str(env, obj, "winerror", NULL));
  }
  return obj;
}

static const char* sd__kind_name(sd_kind kind) {
  switch (kind) {
    case SD_KIND_FILE: return "file";
    case SD_KIND_DIRECTORY: return "directory";
    case SD_KIND_SYMLINK: return "symlink";
    case SD_KIND_JUNCTION: return "junction";
    default: return "other";
  }
}

static void sd__execute(napi_env env, void* data) {
  sd_req* req = data;
  (void)env;
  switch (req->op) {
    case SD_OP_SYMLINK:
      req->result = sd_symlink(req->path, req->dest, req->type, &req->status);
      break;
    case SD_OP_HARDLINK:
      req->result = sd_hardlink(req->path, req->dest, &req->status);
      break;
    case SD_OP_INSPECT:
      req->result = sd_inspect(req->path, &req->info, &req->status);
      break;
    case SD_OP_REMOVE_LINK:
      req->result = sd_remove_link(req->path, &req->kept, &req->status);
      break;
    case SD_OP_RENAME:
      req->result = sd_rename(req->path, req->dest, req->flags, &req->status);
      break;
    case SD_OP_PROBE:
      req->probe = calloc(1, sizeof(*req->probe));
      if (req->probe == NULL) {
        sd__status_set(&req->status, SD_ENOMEM, 0, "probe");
        req->result = SD_ENOMEM;
      } else {
        req->result = sd_probe(req->path, req->probe, &req->status);
      }
      break;
  }
}

/* The value an operation resolves to; NULL with an exception pending on a
 * Node-API failure. */
static napi_value sd__result_value(napi_env env, sd_req* req) {
  napi_value obj;
  switch (req->op) {
    case SD_OP_INSPECT:
      NAPI_CALL(env, napi_create_object(env, &obj));
      NAPI_CALL(env, sd__set_str(env, obj, "kind",
                                 sd__kind_name(req->info.kind)));
      if (req->as_buffer && req->info.target != NULL) {
        /* The bytes as stored (POSIX readlink; UTF-8 on Windows), where a
         * string would replace what is not UTF-8. */
        napi_value buf;
        size_t len = strlen(req->info.target);
        NAPI_CALL(env, napi_create_buffer_copy(env, len, req->info.target,
                                               NULL, &buf));
        NAPI_CALL(env, napi_set_named_property(env, obj, "target", buf));
      } else {
        NAPI_CALL(env, sd__set_str(env, obj, "target", req->info.target));
      }
      NAPI_CALL(env, sd__set_bool(env, obj, "relative", req->info.relative));
      NAPI_CALL(env, sd__set_bool(env, obj, "targetExists",
                                  req->info.target_exists));
      NAPI_CALL(env, sd__set_num(env, obj, "nlink",
                                 (double)req->info.nlink));
      NAPI_CALL(env, sd__set_num(env, obj, "reparseTag",
                                 req->info.reparse_tag));
      return obj;
    case SD_OP_PROBE: {
      const sd_probe_result* p = req->probe;
      napi_value v;
      NAPI_CALL(env, napi_create_object(env, &obj));
      if ((v = sd__attempt_object(env, &p->file_symlink)) == NULL) return NULL;
      NAPI_CALL(env, napi_set_named_property(env, obj, "fileSymlink", v));
      if ((v = sd__attempt_object(env, &p->dir_symlink)) == NULL) return NULL;
      NAPI_CALL(env, napi_set_named_property(env, obj, "dirSymlink", v));
      if ((v = sd__attempt_object(env, &p->junction)) == NULL) return NULL;
      NAPI_CALL(env, napi_set_named_property(env, obj, "junction", v));
      if ((v = sd__attempt_object(env, &p->hardlink)) == NULL) return NULL;
      NAPI_CALL(env, napi_set_named_property(env, obj, "hardlink", v));
      if ((v = sd__facts_object(env, &p->facts)) == NULL) return NULL;
      NAPI_CALL(env, napi_set_named_property(env, obj, "volume", v));
      return obj;
    }
    default:
      NAPI_CALL(env, napi_get_undefined(env, &obj));
      return obj;
  }
}

static const char* sd__kept_what(sd_kind kind) {
  switch (kind) {
    case SD_KIND_FILE: return "real file";
    case SD_KIND_DIRECTORY: return "real directory";
    case SD_KIND_SYMLINK: return "link";
    case SD_KIND_JUNCTION: return "junction";
    default: return "special file";
  }
}

/* What a removeLink that lost a race left under a name of its own, in
 * words: the error names it (and err.dest is its path). */
static char* sd__kept_note(const char* path, const sd_kept* kept) {
  const char* what = sd__kept_what(kept->kind);
  size_t size = 2 * strlen(path) + strlen(kept->path) + strlen(what) + 128;
  char* note = malloc(size);
  if (note == NULL) return NULL;
  if (kept->appeared) {
    snprintf(note, size,
             "the %s that appeared at '%s' meanwhile is kept at '%s'", what,
             path, kept->path);
  } else {
    snprintf(note, size,
             "'%s' was taken meanwhile, so the %s that was there could not "
             "be put back: it is kept at '%s'",
             path, what, kept->path);
  }
  return note;
}

static napi_value sd__error_value(napi_env env, sd_req* req) {
  napi_value err;
  if (req->op == SD_OP_REMOVE_LINK && req->kept.path != NULL) {
    char* note = sd__kept_note(req->path, &req->kept);
    err = note == NULL ? NULL
                       : sd__fs_error(env, &req->status, req->path,
                                      req->kept.path, note);
    free(note);
  } else {
    err = sd__fs_error(env, &req->status, req->path, req->dest, NULL);
  }
  if (err == NULL) sd__throw_napi_failure(env);
  return err;
}

static void sd__complete(napi_env env, napi_status status, void* data) {
  sd_req* req = data;
  napi_value value = NULL;
  bool pending = false;
  if (status == napi_ok && req->result == 0) {
    value = sd__result_value(env, req);
  } else if (status == napi_ok) {
    value = sd__error_value(env, req);
  }
  /* A failure to build the value leaves an exception pending: hand that
   * exception to the promise instead of leaving it unsettled. */
  napi_is_exception_pending(env, &pending);
  if (pending || value == NULL) {
    napi_value exc = NULL;
    if (pending) napi_get_and_clear_last_exception(env, &exc);
    if (exc == NULL) {
      /* Each call may fail (an env being torn down): never pass on a
       * value that was not made, and reject with undefined at least. */
      napi_value msg = NULL;
      if (napi_create_string_utf8(env, "symlink-doctor: operation cancelled",
                                  NAPI_AUTO_LENGTH, &msg) != napi_ok ||
          napi_create_error(env, NULL, msg, &exc) != napi_ok) {
        exc = NULL;
      }
      if (exc == NULL) napi_get_undefined(env, &exc);
    }
    napi_reject_deferred(env, req->deferred, exc);
  } else if (req->result == 0) {
    napi_resolve_deferred(env, req->deferred, value);
  } else {
    napi_reject_deferred(env, req->deferred, value);
  }
  napi_delete_async_work(env, req->work);
  sd__req_free(req);
}

/* The name of a JS value's type, as Node's ERR_INVALID_ARG_TYPE says it
 * ("Received type string", "Received undefined"). */
static const char* sd__received(napi_env env, napi_value value) {
  napi_valuetype type = napi_undefined;
  if (napi_typeof(env, value, &type) != napi_ok) return "an unknown value";
  switch (type) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "type boolean";
    case napi_number: return "type number";
    case napi_string: return "type string";
    case napi_symbol: return "type symbol";
    case napi_bigint: return "type bigint";
    case napi_function: return "function";
    default: return "an instance of Object";
  }
}

/* rename's flags: 0, SD_RENAME_NOREPLACE or SD_RENAME_EXCHANGE. Anything
 * else throws (ERR_INVALID_ARG_TYPE for a non-number); 0 or -1. */
static int sd__flags_arg(napi_env env, napi_value value, int* out) {
  napi_valuetype type = napi_undefined;
  double d = 0;
  char msg[160];
  if (napi_typeof(env, value, &type) != napi_ok) {
    sd__throw_napi_failure(env);
    return -1;
  }
  if (type != napi_number) {
    snprintf(msg, sizeof(msg),
             "The \"flags\" argument must be of type number. Received %s",
             sd__received(env, value));
    sd__throw_arg(env, "ERR_INVALID_ARG_TYPE", msg, 1);
    return -1;
  }
  if (napi_get_value_double(env, value, &d) != napi_ok) {
    sd__throw_napi_failure(env);
    return -1;
  }
  if (d != 0 && d != SD_RENAME_NOREPLACE && d != SD_RENAME_EXCHANGE) {
    sd__throw_arg(env, "ERR_INVALID_ARG_VALUE",
                  "The argument 'flags' must be 0, RENAME_NOREPLACE (1) or "
                  "RENAME_EXCHANGE (2).", 0);
    return -1;
  }
  *out = (int)d;
  return 0;
}

/* An optional boolean: undefined is false. 0 or -1 (thrown). */
static int sd__bool_arg(napi_env env, napi_value value, const char* name,
                        int* out) {
  napi_valuetype type = napi_undefined;
  bool b = false;
  char msg[160];
  if (napi_typeof(env, value, &type) != napi_ok) {
    sd__throw_napi_failure(env);
    return -1;
  }
  if (type == napi_undefined) {
    *out = 0;
    return 0;
  }
  if (type != napi_boolean) {
    snprintf(msg, sizeof(msg),
             "The \"%s\" argument must be of type boolean. Received %s", name,
             sd__received(env, value));
    sd__throw_arg(env, "ERR_INVALID_ARG_TYPE", msg, 1);
    return -1;
  }
  if (napi_get_value_bool(env, value, &b) != napi_ok) {
    sd__throw_napi_failure(env);
    return -1;
  }
  *out = b ? 1 : 0;
  return 0;
}

/* Reads the arguments of an operation into a new request. */
static sd_req* sd__req_new(napi_env env, napi_callback_info info, sd_op op) {
  size_t argc = 3;
  napi_value argv[3];
  sd_req* req;
  int nargs = (op == SD_OP_SYMLINK || op == SD_OP_RENAME) ? 3
              : (op == SD_OP_HARDLINK)                    ? 2
                                                          : 1;

  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    sd__throw_napi_failure(env);
    return NULL;
  }
  if ((int)argc < nargs) {
    sd__throw_arg(env, "ERR_MISSING_ARGS", "Not enough arguments", 1);
    return NULL;
  }
  req = calloc(1, sizeof(*req));
  if (req == NULL) {
    napi_throw_error(env, "ENOMEM", "symlink-doctor: out of memory");
    return NULL;
  }
  req->op = op;
  req->path = sd__path_arg(env, argv[0], op == SD_OP_SYMLINK ? "target"
                                         : op == SD_OP_HARDLINK ? "existingPath"
                                         : op == SD_OP_RENAME ? "oldPath"
                                         : op == SD_OP_PROBE ? "dir"
                                                             : "path");
  if (req->path == NULL) goto fail;
  if (nargs >= 2) {
    req->dest = sd__path_arg(env, argv[1], op == SD_OP_SYMLINK ? "path"
                                                               : "newPath");
    if (req->dest == NULL) goto fail;
  }
  if (op == SD_OP_RENAME) {
    if (sd__flags_arg(env, argv[2], &req->flags) != 0) goto fail;
  } else if (op == SD_OP_INSPECT) {
    /* inspect(path[, asBuffer]) */
    if (argc >= 2 && sd__bool_arg(env, argv[1], "asBuffer",
                                  &req->as_buffer) != 0) {
      goto fail;
    }
  } else if (nargs == 3) {
    uint32_t type = 0;
    if (napi_get_value_uint32(env, argv[2], &type) != napi_ok ||
        type > SD_LINK_JUNCTION) {
      sd__throw_arg(env, "ERR_INVALID_ARG_VALUE",
                    "The argument 'type' must be 0 (file), 1 (dir) or 2 "
                    "(junction).", 0);
      goto fail;
    }
    req->type = (sd_link_type)type;
  }
  return req;

fail:
  sd__req_free(req);
  return NULL;
}

static napi_value sd__run_sync(napi_env env, napi_callback_info info,
                               sd_op op) {
  sd_req* req = sd__req_new(env, info, op);
  napi_value value;
  if (req == NULL) return NULL;
  sd__execute(env, req);
  if (req->result == 0) {
    value = sd__result_value(env, req);
  } else {
    value = sd__error_value(env, req);
    if (value != NULL) napi_throw(env, value);
    value = NULL;
  }
  sd__req_free(req);
  return value;
}

static napi_value sd__run_async(napi_env env, napi_callback_info info,
                                sd_op op) {
  sd_req* req = sd__req_new(env, info, op);
  napi_value promise, name, err;
  if (req == NULL) return NULL;
  /* The work first, the promise last: a deferred, once made, must be
   * settled, or its promise is kept alive forever. */
  if (napi_create_string_utf8(env, "symlink-doctor", NAPI_AUTO_LENGTH,
                              &name) != napi_ok ||
      napi_create_async_work(env, NULL, name, sd__execute, sd__complete, req,
                             &req->work) != napi_ok) {
    sd__req_free(req);
    sd__throw_napi_failure(env);
    return NULL;
  }
  if (napi_create_promise(env, &req->deferred, &promise) != napi_ok) {
    sd__throw_napi_failure(env);
    napi_delete_async_work(env, req->work);
    sd__req_free(req);
    return NULL;
  }
  if (napi_queue_async_work(env, req->work) != napi_ok) {
    /* The promise exists: it rejects with the failure instead. */
    sd__throw_napi_failure(env);
    err = NULL;
    napi_get_and_clear_last_exception(env, &err);
    if (err == NULL) napi_get_undefined(env, &err);
    napi_reject_deferred(env, req->deferred, err);
    napi_delete_async_work(env, req->work);
    sd__req_free(req);
  }
  return promise;
}

#define SD_METHODS(XX)                 \
  XX(symlink, SD_OP_SYMLINK)           \
  XX(hardlink, SD_OP_HARDLINK)         \
  XX(inspect, SD_OP_INSPECT)           \
  XX(removeLink, SD_OP_REMOVE_LINK)    \
  XX(probe, SD_OP_PROBE)               \
  XX(rename, SD_OP_RENAME)

#define XX(name, op)                                                   \
  static napi_value sd__##name##_sync(napi_env env,                   \
                                      napi_callback_info info) {      \
    return sd__run_sync(env, info, op);                                \
  }                                                                    \
  static napi_value sd__##name##_async(napi_env env,                  \
                                       napi_callback_info info) {     \
    return sd__run_async(env, info, op);                               \
  }
SD_METHODS(XX)
#undef XX

static napi_value sd__system_facts(napi_env env, napi_callback_info info) {
  sd_facts* facts = calloc(1, sizeof(*facts));
  napi_value obj;
  (void)info;
  if (facts == NULL) {
    napi_throw_error(env, "ENOMEM", "symlink-doctor: out of memory");
    return NULL;
  }
  sd_system_facts(facts);
  obj = sd__facts_object(env, facts);
  free(facts);
  return obj;
}

/* grantSymlinkRight([account]): sync; a one-off admin action, not a hot
 * path. Throws like fs (code, errno, syscall, winerror). */
static napi_value sd__grant_symlink_right(napi_env env,
                                          napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_valuetype type = napi_undefined;
  char* account = NULL;
  sd_status st = {0, 0, NULL};
  napi_value result = NULL;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc >= 1) NAPI_CALL(env, napi_typeof(env, argv[0], &type));
  if (type != napi_undefined && type != napi_null) {
    account = sd__path_arg(env, argv[0], "account");
    if (account == NULL) return NULL;
  }
  if (sd_grant_symlink_right(account, &st) != 0) {
    napi_value err = sd__fs_error(env, &st, account, NULL, NULL);
    if (err == NULL) {
      sd__throw_napi_failure(env);
    } else {
      napi_throw(env, err);
    }
  } else {
    napi_get_undefined(env, &result);
  }
  free(account);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value noreplace, exchange;
  if (napi_create_int32(env, SD_RENAME_NOREPLACE, &noreplace) != napi_ok ||
      napi_create_int32(env, SD_RENAME_EXCHANGE, &exchange) != napi_ok) {
    sd__throw_napi_failure(env);
    return NULL;
  }
  napi_property_descriptor props[] = {
#define XX(name, op)                                                        \
  {#name "Sync", NULL, sd__##name##_sync, NULL, NULL, NULL, napi_enumerable, \
   NULL},                                                                   \
      {#name, NULL, sd__##name##_async, NULL, NULL, NULL, napi_enumerable,  \
       NULL},
      SD_METHODS(XX)
#undef XX
      {"systemFacts", NULL, sd__system_facts, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"grantSymlinkRight", NULL, sd__grant_symlink_right, NULL, NULL, NULL,
       napi_enumerable, NULL},
      {"RENAME_NOREPLACE", NULL, NULL, NULL, NULL, noreplace, napi_enumerable,
       NULL},
      {"RENAME_EXCHANGE", NULL, NULL, NULL, NULL, exchange, napi_enumerable,
       NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]),
                             props) != napi_ok) {
    sd__throw_napi_failure(env);
    return NULL;
  }
  return exports;
}
