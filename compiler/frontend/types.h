// Unsized types of expressions and function arguments (Stan's type system): an element type
// and a number of array dimensions. Sizes live in declarations (see ast.h SizedType); the
// type checker works on unsized types, as Stan's does.
#pragma once
#include <string>

namespace mvc {

enum class ElemType { Int, Real, Complex, Vector, RowVector, Matrix, Void, Error };

struct Type {
  ElemType elem = ElemType::Error;
  int arrayDims = 0;

  static Type integer() { return {ElemType::Int, 0}; }
  static Type real() { return {ElemType::Real, 0}; }
  static Type vector() { return {ElemType::Vector, 0}; }
  static Type rowVector() { return {ElemType::RowVector, 0}; }
  static Type matrix() { return {ElemType::Matrix, 0}; }
  static Type voidType() { return {ElemType::Void, 0}; }
  static Type error() { return {ElemType::Error, 0}; }
  static Type arrayOf(Type t, int dims = 1) { return {t.elem, t.arrayDims + dims}; }

  bool isError() const { return elem == ElemType::Error; }
  bool isVoid() const { return elem == ElemType::Void; }
  bool isScalar() const { return arrayDims == 0 && (elem == ElemType::Int || elem == ElemType::Real); }
  bool isIntScalar() const { return arrayDims == 0 && elem == ElemType::Int; }
  bool isArray() const { return arrayDims > 0; }
  bool isLinAlg() const {
    return elem == ElemType::Vector || elem == ElemType::RowVector || elem == ElemType::Matrix;
  }
  // Element type after removing `n` array dimensions.
  Type elementOf(int n = 1) const { return {elem, arrayDims - n}; }

  bool operator==(const Type& o) const { return elem == o.elem && arrayDims == o.arrayDims; }
  bool operator!=(const Type& o) const { return !(*this == o); }

  // Stan's spelling: "real", "array[,] vector".
  std::string str() const;
};

const char* elemTypeName(ElemType e);

// Can a value of type `from` be used where `to` is expected? Stan promotes int to real
// (also inside arrays) and real to complex. `cost` counts promotions, for overload resolution.
bool promotable(const Type& from, const Type& to, int* cost = nullptr);

int totalDims(const Type& t);  // array dims + 1 for vectors, + 2 for matrices

}  // namespace mvc
