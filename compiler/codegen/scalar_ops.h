// Built-ins that generated code computes inline, as LLVM instructions or libm calls, when
// every argument is an int or real scalar (one table, scalar_ops.cpp). Everything else is a
// call of the runtime (mvc_v_call).
#pragma once
#include <string>
#include <vector>

namespace llvm {
class Value;
class Module;
class IRBuilderBase;
}  // namespace llvm

namespace mvc::codegen {

// args: i64 for ints, double for reals, as the IR's argument types say (argIsInt). Returns
// the result (i64 when intResult, else double), or null when the table has no inline form
// for this name and argument types.
llvm::Value* emitScalarOp(llvm::IRBuilderBase& b, llvm::Module& m, const std::string& name,
                          const std::vector<llvm::Value*>& args, const std::vector<bool>& argIsInt, bool intResult);

// Is there an inline form (for tests enumerating the table)?
bool hasScalarOp(const std::string& name, const std::vector<bool>& argIsInt, bool intResult);

}  // namespace mvc::codegen
