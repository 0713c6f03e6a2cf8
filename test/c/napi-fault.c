/* Fault injection for the Node-API glue, linked into a test build of the
 * addon with -Wl,--wrap=<each napi_* below> (node is linked statically, so
 * LD_PRELOAD cannot interpose). SD_NAPI_FAIL=<name> makes that call fail
 * for real: Node gets a NULL out-parameter and answers napi_invalid_arg
 * with its own error info. At exit it prints how many promises were made
 * and how many settled: a deferred never settled leaks its promise. */
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int promises, settled;
static int fail(const char* name) {
  const char* f = getenv("SD_NAPI_FAIL");
  return f != NULL && strcmp(f, name) == 0;
}
napi_status __real_napi_create_async_work(napi_env, napi_value, napi_value,
    napi_async_execute_callback, napi_async_complete_callback, void*, napi_async_work*);
napi_status __wrap_napi_create_async_work(napi_env e, napi_value r, napi_value n,
    napi_async_execute_callback x, napi_async_complete_callback c, void* d, napi_async_work* w) {
  return __real_napi_create_async_work(e, r, n, x, c, d, fail("napi_create_async_work") ? NULL : w);
}
napi_status __real_napi_queue_async_work(napi_env, napi_async_work);
napi_status __wrap_napi_queue_async_work(napi_env e, napi_async_work w) {
  return __real_napi_queue_async_work(e, fail("napi_queue_async_work") ? NULL : w);
}
napi_status __real_napi_create_promise(napi_env, napi_deferred*, napi_value*);
napi_status __wrap_napi_create_promise(napi_env e, napi_deferred* d, napi_value* p) {
  napi_status s = __real_napi_create_promise(e, d, p);
  if (s == napi_ok) promises++;
  return s;
}
napi_status __real_napi_resolve_deferred(napi_env, napi_deferred, napi_value);
napi_status __wrap_napi_resolve_deferred(napi_env e, napi_deferred d, napi_value v) {
  napi_status s = __real_napi_resolve_deferred(e, d, v);
  if (s == napi_ok) settled++;
  return s;
}
napi_status __real_napi_reject_deferred(napi_env, napi_deferred, napi_value);
napi_status __wrap_napi_reject_deferred(napi_env e, napi_deferred d, napi_value v) {
  napi_status s = __real_napi_reject_deferred(e, d, v);
  if (s == napi_ok) settled++;
  return s;
}
__attribute__((destructor)) static void report(void) {
  fprintf(stderr, "napi-fault: promises %d settled %d\n", promises, settled);
}
