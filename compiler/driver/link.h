// Linking: objects that LLVM wrote, plus the runtime's archives, into a program or a shared
// library. The system's C++ driver (`c++`, or $MVC_LINKER) is used only as the linker front
// end -- it knows where the C++ standard library and the platform's start files are; nothing
// is compiled when a model is compiled.
#pragma once
#include <string>
#include <vector>

namespace mvc {

enum class LinkKind { Program, SharedLibrary };

// `inputs`: objects and archives in link order; `libs`: extra flags such as "-lpthread".
// Returns "" or what went wrong, with the linker's own messages.
std::string linkObjects(const std::vector<std::string>& inputs, const std::vector<std::string>& libs,
                        const std::string& output, LinkKind kind);

}  // namespace mvc
