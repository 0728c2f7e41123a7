// The other services of mvc/generated.h: errors, print(), uniform draws; the RNG.
#include <atomic>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "context.h"

namespace mvc::model {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Rng::Rng(std::uint64_t seed) : engine_(splitmix64(seed)) {}

namespace {
// Where print() goes: bs_set_print_callback's callback, or stdout. Set rarely (BridgeStan
// clients set it once at load), read on every print.
std::atomic<MVC_BS_STREAM_CALLBACK> g_print_callback{nullptr};
}  // namespace

}  // namespace mvc::model

extern "C" {

int mvc_rt_error(mvc_rt_context* ctx, int status, const char* fmt, ...) {
  if (!ctx->has_message) {
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(ctx->message, sizeof ctx->message, fmt, args);
    va_end(args);
    ctx->has_message = true;
  }
  return status;
}

void mvc_rt_print(mvc_rt_context* /*ctx*/, const char* text) {
  const std::size_t n = std::strlen(text);
  if (auto cb = mvc::model::g_print_callback.load(std::memory_order_acquire)) {
    cb(text, n);
    return;
  }
  std::fwrite(text, 1, n, stdout);
  std::fflush(stdout);
}

double mvc_rt_uniform(mvc_rt_context* ctx) {
  if (ctx->rng == nullptr) {
    mvc_rt_error(ctx, 1, "a random number was requested where no RNG is available");
    return NAN;
  }
  return ctx->rng->uniform();
}

int bs_set_print_callback(MVC_BS_STREAM_CALLBACK callback, char** /*error_msg*/) {
  mvc::model::g_print_callback.store(callback, std::memory_order_release);
  return 0;
}

}  // extern "C"
