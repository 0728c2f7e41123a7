#include "driver/cache.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace mvc {

std::string cacheKey(const std::string& source, const std::string& compilerVersion,
                     const std::vector<std::string>& flags, const std::string& hostCpu) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0xff;  // separator: ("ab", "c") and ("a", "bc") differ
    h *= 1099511628211ull;
  };
  mix(source);
  mix(compilerVersion);
  for (const auto& f : flags) mix(f);
  mix(hostCpu);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

std::string cacheDirectory() {
  if (const char* d = std::getenv("MVC_CACHE_DIR"); d && *d) return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/mvc";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/mvc";
  return "";
}

}  // namespace mvc
