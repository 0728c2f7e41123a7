#include "frontend/ast.h"

namespace mvc {

bool Index::isMulti() const {
  if (kind != IndexKind::Single) return true;  // ranges, ':' and omitted indexes keep the dimension
  return lo && lo->type.arrayDims == 1 && lo->type.elem == ElemType::Int;
}

const char* originName(Origin o) {
  switch (o) {
    case Origin::Data: return "data";
    case Origin::TransformedData: return "transformed data";
    case Origin::Parameter: return "parameter";
    case Origin::TransformedParameter: return "transformed parameter";
    case Origin::ModelLocal: return "model block local variable";
    case Origin::GeneratedQuantity: return "generated quantity";
    case Origin::FunctionArg: return "function argument";
    case Origin::LoopVar: return "loop variable";
    case Origin::Local: return "local variable";
  }
  return "variable";
}

const char* declBaseName(DeclBase b) {
  switch (b) {
    case DeclBase::Int: return "int";
    case DeclBase::Real: return "real";
    case DeclBase::Complex: return "complex";
    case DeclBase::Vector: return "vector";
    case DeclBase::RowVector: return "row_vector";
    case DeclBase::Matrix: return "matrix";
    case DeclBase::Simplex: return "simplex";
    case DeclBase::UnitVector: return "unit_vector";
    case DeclBase::Ordered: return "ordered";
    case DeclBase::PositiveOrdered: return "positive_ordered";
    case DeclBase::CholeskyFactorCorr: return "cholesky_factor_corr";
    case DeclBase::CholeskyFactorCov: return "cholesky_factor_cov";
    case DeclBase::CorrMatrix: return "corr_matrix";
    case DeclBase::CovMatrix: return "cov_matrix";
  }
  return "?";
}

const char* blockName(BlockKind b) {
  switch (b) {
    case BlockKind::Functions: return "functions";
    case BlockKind::Data: return "data";
    case BlockKind::TransformedData: return "transformed data";
    case BlockKind::Parameters: return "parameters";
    case BlockKind::TransformedParameters: return "transformed parameters";
    case BlockKind::Model: return "model";
    case BlockKind::GeneratedQuantities: return "generated quantities";
  }
  return "?";
}

bool SizedType::hasConstraint() const {
  return lower || upper || offset || multiplier || (base != DeclBase::Int && base != DeclBase::Real &&
                                                    base != DeclBase::Vector && base != DeclBase::RowVector &&
                                                    base != DeclBase::Matrix && base != DeclBase::Complex);
}

Type SizedType::type() const {
  ElemType e;
  switch (base) {
    case DeclBase::Int: e = ElemType::Int; break;
    case DeclBase::Real: e = ElemType::Real; break;
    case DeclBase::Complex: e = ElemType::Complex; break;
    case DeclBase::RowVector: e = ElemType::RowVector; break;
    case DeclBase::Vector:
    case DeclBase::Simplex:
    case DeclBase::UnitVector:
    case DeclBase::Ordered:
    case DeclBase::PositiveOrdered: e = ElemType::Vector; break;
    default: e = ElemType::Matrix; break;
  }
  return Type{e, static_cast<int>(arrayDims.size())};
}

}  // namespace mvc
