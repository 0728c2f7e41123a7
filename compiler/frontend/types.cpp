#include "frontend/types.h"

namespace mvc {

const char* elemTypeName(ElemType e) {
  switch (e) {
    case ElemType::Int: return "int";
    case ElemType::Real: return "real";
    case ElemType::Complex: return "complex";
    case ElemType::Vector: return "vector";
    case ElemType::RowVector: return "row_vector";
    case ElemType::Matrix: return "matrix";
    case ElemType::Void: return "void";
    case ElemType::Error: return "<error>";
  }
  return "<error>";
}

std::string Type::str() const {
  if (arrayDims == 0) return elemTypeName(elem);
  return "array[" + std::string(arrayDims - 1, ',') + "] " + elemTypeName(elem);
}

bool promotable(const Type& from, const Type& to, int* cost) {
  if (cost) *cost = 0;
  if (from.isError() || to.isError()) return true;  // already reported; do not cascade
  if (from.arrayDims != to.arrayDims) return false;
  if (from.elem == to.elem) return true;
  if (cost) *cost = 1;
  if (from.elem == ElemType::Int && (to.elem == ElemType::Real || to.elem == ElemType::Complex)) return true;
  if (from.elem == ElemType::Real && to.elem == ElemType::Complex) return true;
  return false;
}

int totalDims(const Type& t) {
  int extra = t.elem == ElemType::Matrix ? 2 : (t.elem == ElemType::Vector || t.elem == ElemType::RowVector) ? 1 : 0;
  return t.arrayDims + extra;
}

}  // namespace mvc
