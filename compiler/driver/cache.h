// The compile cache: a compiled model is kept under a key made from everything that decides
// the output (the program text, the compiler version, the flags, the host CPU), so compiling
// the same program again only copies the result.
#pragma once
#include <string>
#include <vector>

namespace mvc {

// 16 hex digits (64-bit FNV-1a over the parts, each followed by a separator).
std::string cacheKey(const std::string& source, const std::string& compilerVersion,
                     const std::vector<std::string>& flags, const std::string& hostCpu);

// $MVC_CACHE_DIR, else $XDG_CACHE_HOME/mvc, else $HOME/.cache/mvc ("" if none can be found).
std::string cacheDirectory();

}  // namespace mvc
