/* Node-API forwarders for the mingw cross-build (scripts/build-win32.sh).
 *
 * An addon linked against an import library for node.exe only loads into a
 * process whose executable is named node.exe. MSVC builds avoid that with
 * node-gyp's delay-load hook; this file is the mingw equivalent: each
 * napi_* function that src/binding.c calls is defined here and looks up the
 * real one, on first use, among the exports of the host executable (node,
 * Electron and the like export Node-API from the .exe), then of
 * libnode.dll for hosts that embed Node as a shared library.
 *
 * Not part of binding.gyp. The .node is linked with no import library for
 * Node, so a napi_* function that binding.c starts to use without a
 * forwarder here is an undefined reference at link time, not a crash at
 * load time. scripts/build-win32.sh also names the missing ones.
 */

/* Define, do not export: the addon exports only its module entry points. */
#define NAPI_EXTERN
#include <node_api.h>

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

typedef void (*sd__any_fn)(void);

static sd__any_fn sd__napi_proc(const char* name) {
  HMODULE host = GetModuleHandleW(NULL);
  FARPROC proc = host != NULL ? GetProcAddress(host, name) : NULL;
  if (proc == NULL) {
    host = GetModuleHandleW(L"libnode.dll");
    if (host != NULL) proc = GetProcAddress(host, name);
  }
  /* Through a generic function pointer: gcc's -Wcast-function-type allows
   * that cast to any signature. */
  return (sd__any_fn)proc;
}

/* Defines name(params) that calls the host's name(args). The pointer is
 * cached; two threads racing on the first call store the same value. A
 * host without the function gets napi_generic_failure, which binding.c
 * already handles as any failed call. (env is napi_env even where newer
 * headers say node_api_basic_env: the same type outside NAPI_EXPERIMENTAL,
 * and the only spelling older headers know.) */
#define SD__FORWARD(name, params, args)                             \
  napi_status NAPI_CDECL name params {                              \
    static napi_status(NAPI_CDECL * volatile fn) params;            \
    if (fn == NULL) {                                               \
      fn = (napi_status(NAPI_CDECL*) params)sd__napi_proc(#name);   \
      if (fn == NULL) return napi_generic_failure;                  \
    }                                                               \
    return fn args;                                                 \
  }

SD__FORWARD(napi_create_async_work,
            (napi_env env, napi_value async_resource,
             napi_value async_resource_name,
             napi_async_execute_callback execute,
             napi_async_complete_callback complete, void* data,
             napi_async_work* result),
            (env, async_resource, async_resource_name, execute, complete,
             data, result))

SD__FORWARD(napi_create_buffer_copy,
            (napi_env env, size_t length, const void* data, void** result_data,
             napi_value* result),
            (env, length, data, result_data, result))

SD__FORWARD(napi_create_int32,
            (napi_env env, int32_t value, napi_value* result),
            (env, value, result))

SD__FORWARD(napi_create_double,
            (napi_env env, double value, napi_value* result),
            (env, value, result))

SD__FORWARD(napi_create_error,
            (napi_env env, napi_value code, napi_value msg,
             napi_value* result),
            (env, code, msg, result))

SD__FORWARD(napi_create_object, (napi_env env, napi_value* result),
            (env, result))

SD__FORWARD(napi_create_promise,
            (napi_env env, napi_deferred* deferred, napi_value* promise),
            (env, deferred, promise))

SD__FORWARD(napi_create_string_utf8,
            (napi_env env, const char* str, size_t length,
             napi_value* result),
            (env, str, length, result))

SD__FORWARD(napi_define_properties,
            (napi_env env, napi_value object, size_t property_count,
             const napi_property_descriptor* properties),
            (env, object, property_count, properties))

SD__FORWARD(napi_delete_async_work, (napi_env env, napi_async_work work),
            (env, work))

SD__FORWARD(napi_get_and_clear_last_exception,
            (napi_env env, napi_value* result), (env, result))

SD__FORWARD(napi_get_boolean, (napi_env env, bool value, napi_value* result),
            (env, value, result))

SD__FORWARD(napi_get_buffer_info,
            (napi_env env, napi_value value, void** data, size_t* length),
            (env, value, data, length))

SD__FORWARD(napi_get_cb_info,
            (napi_env env, napi_callback_info cbinfo, size_t* argc,
             napi_value* argv, napi_value* this_arg, void** data),
            (env, cbinfo, argc, argv, this_arg, data))

SD__FORWARD(napi_get_last_error_info,
            (napi_env env, const napi_extended_error_info** result),
            (env, result))

SD__FORWARD(napi_get_null, (napi_env env, napi_value* result), (env, result))

SD__FORWARD(napi_get_undefined, (napi_env env, napi_value* result),
            (env, result))

SD__FORWARD(napi_get_value_bool,
            (napi_env env, napi_value value, bool* result),
            (env, value, result))

SD__FORWARD(napi_get_value_double,
            (napi_env env, napi_value value, double* result),
            (env, value, result))

SD__FORWARD(napi_get_value_string_utf8,
            (napi_env env, napi_value value, char* buf, size_t bufsize,
             size_t* result),
            (env, value, buf, bufsize, result))

SD__FORWARD(napi_get_value_uint32,
            (napi_env env, napi_value value, uint32_t* result),
            (env, value, result))

SD__FORWARD(napi_is_buffer, (napi_env env, napi_value value, bool* result),
            (env, value, result))

SD__FORWARD(napi_is_exception_pending, (napi_env env, bool* result),
            (env, result))

SD__FORWARD(napi_queue_async_work, (napi_env env, napi_async_work work),
            (env, work))

SD__FORWARD(napi_reject_deferred,
            (napi_env env, napi_deferred deferred, napi_value rejection),
            (env, deferred, rejection))

SD__FORWARD(napi_resolve_deferred,
            (napi_env env, napi_deferred deferred, napi_value resolution),
            (env, deferred, resolution))

SD__FORWARD(napi_set_named_property,
            (napi_env env, napi_value object, const char* utf8name,
             napi_value value),
            (env, object, utf8name, value))

SD__FORWARD(napi_throw, (napi_env env, napi_value error), (env, error))

SD__FORWARD(napi_throw_error,
            (napi_env env, const char* code, const char* msg),
            (env, code, msg))

SD__FORWARD(napi_throw_type_error,
            (napi_env env, const char* code, const char* msg),
            (env, code, msg))

SD__FORWARD(napi_typeof,
            (napi_env env, napi_value value, napi_valuetype* result),
            (env, value, result))
