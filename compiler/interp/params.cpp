#include "interp/params.h"

namespace mvc::interp {
using namespace ir;

namespace {

Value readValue(const io::VarData& d, ElemType elem, int arrayDims, std::vector<size_t>& index) {
  size_t k = index.size();
  if (arrayDims > 0) {
    std::vector<Value> a;
    for (size_t i = 0; i < d.dims.at(k); ++i) {
      index.push_back(i);
      a.push_back(readValue(d, elem, arrayDims - 1, index));
      index.pop_back();
    }
    return Value::array(std::move(a));
  }
  auto at = [&](std::vector<size_t> full) { return d.values.at(io::column_major_offset(d.dims, full)); };
  switch (elem) {
    case ElemType::Int: return Value::integer(static_cast<int64_t>(at(index)));
    case ElemType::Real: return Value::real(at(index));
    case ElemType::Vector:
    case ElemType::RowVector: {
      size_t n = d.dims.at(k);
      Eigen::MatrixXd m(elem == ElemType::Vector ? n : 1, elem == ElemType::Vector ? 1 : n);
      for (size_t i = 0; i < n; ++i) {
        auto full = index;
        full.push_back(i);
        m.data()[i] = at(full);
      }
      return elem == ElemType::Vector ? Value::vec(m) : Value::row(m);
    }
    case ElemType::Matrix: {
      size_t r = d.dims.at(k), c = d.dims.at(k + 1);
      Eigen::MatrixXd m(r, c);
      for (size_t i = 0; i < r; ++i)
        for (size_t j = 0; j < c; ++j) {
          auto full = index;
          full.push_back(i);
          full.push_back(j);
          m(i, j) = at(full);
        }
      return Value::mat(m);
    }
    default: throw Error("data of this type is not supported by the interpreter", Error::kFatal);
  }
}

}  // namespace

Value readData(const io::DataMap& data, const Node& n, const std::vector<int64_t>& dims) {
  auto it = data.find(n.s);
  if (it == data.end()) throw Error("variable does not exist; processing stage=data initialization; variable name=" + n.s, Error::kData);
  const io::VarData& d = it->second;
  const Type& t = n.type.base;
  if (t.elem == ElemType::Int && !d.is_int) throw Error(n.s + ": int variable contained non-int values", Error::kData);
  if (!dims.empty()) {
    if (d.dims.size() != dims.size()) throw Error(n.s + ": wrong number of dimensions in the data", Error::kData);
    for (size_t k = 0; k < dims.size(); ++k)
      if (static_cast<int64_t>(d.dims[k]) != dims[k])
        throw Error(n.s + ": dimension " + std::to_string(k + 1) + " is " + std::to_string(d.dims[k]) +
                    ", declared " + std::to_string(dims[k]), Error::kData);
  } else if (static_cast<int>(d.dims.size()) != totalDims(t)) {
    throw Error(n.s + ": wrong number of dimensions in the data", Error::kData);
  }
  std::vector<size_t> index;
  return readValue(d, t.elem, t.arrayDims, index);
}

}  // namespace mvc::interp
