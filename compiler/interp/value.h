// The interpreter's values are the runtime's (runtime/compiled/values.h): one implementation
// of the language's semantics for the interpreter and for generated code.
#pragma once
#include "compiled/values.h"

namespace mvc::interp {

using values::Error;
using values::Value;
using values::describe;
using values::fill;
using values::flatten;
using values::zerosLike;

}  // namespace mvc::interp
