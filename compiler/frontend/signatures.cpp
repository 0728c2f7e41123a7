#include "frontend/signatures.h"

#include <algorithm>
#include <stdexcept>

#include "support/diagnostics.h"

namespace mvc {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> splitArgs(const std::string& s) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!trim(cur).empty()) out.push_back(trim(cur));
  return out;
}

ElemType parseElem(const std::string& s) {
  if (s == "int") return ElemType::Int;
  if (s == "real") return ElemType::Real;
  if (s == "complex") return ElemType::Complex;
  if (s == "vector") return ElemType::Vector;
  if (s == "row_vector") return ElemType::RowVector;
  if (s == "matrix") return ElemType::Matrix;
  if (s == "void") return ElemType::Void;
  throw InternalError("signature table: unknown type '" + s + "'");
}

bool isVectorLike(const Type& t) { return t.elem == ElemType::Vector || t.elem == ElemType::RowVector; }

// Cost of matching one argument; -1 if it does not match.
int argCost(const ArgSpec& spec, const Type& t) {
  if (t.isError()) return 0;
  int cost = 0;
  switch (spec.cls) {
    case ArgClass::Exact: return promotable(t, spec.type, &cost) ? cost : -1;
    case ArgClass::Reals:
      if (t.arrayDims == 0 && (t.elem == ElemType::Int || t.elem == ElemType::Real || isVectorLike(t))) return 1;
      if (t.arrayDims == 1 && (t.elem == ElemType::Int || t.elem == ElemType::Real)) return 1;
      return -1;
    case ArgClass::Ints: return (t.elem == ElemType::Int && t.arrayDims <= 1) ? 1 : -1;
    case ArgClass::Vectors: return (isVectorLike(t) && t.arrayDims <= 1) ? 1 : -1;
    case ArgClass::Matrices: return (t.elem == ElemType::Matrix && t.arrayDims <= 1) ? 1 : -1;
    case ArgClass::AnyNumeric:
      return (t.elem == ElemType::Int || t.elem == ElemType::Real || t.isLinAlg()) ? 2 : -1;
    case ArgClass::Any: return t.isVoid() ? -1 : 2;
  }
  return -1;
}

}  // namespace

ArgSpec parseArgSpec(const std::string& raw) {
  std::string s = trim(raw);
  ArgSpec a;
  if (s == "reals") a.cls = ArgClass::Reals;
  else if (s == "ints") a.cls = ArgClass::Ints;
  else if (s == "vectors") a.cls = ArgClass::Vectors;
  else if (s == "matrices") a.cls = ArgClass::Matrices;
  else if (s == "T") a.cls = ArgClass::AnyNumeric;
  else if (s == "any") a.cls = ArgClass::Any;
  else if (s.rfind("array[", 0) == 0) {
    size_t close = s.find(']');
    int dims = 1 + static_cast<int>(std::count(s.begin(), s.begin() + close, ','));
    a.type = Type{parseElem(trim(s.substr(close + 1))), dims};
  } else {
    a.type = Type{parseElem(s), 0};
  }
  return a;
}

std::string ArgSpec::str() const {
  switch (cls) {
    case ArgClass::Exact: return type.str();
    case ArgClass::Reals: return "reals";
    case ArgClass::Ints: return "ints";
    case ArgClass::Vectors: return "vectors";
    case ArgClass::Matrices: return "matrices";
    case ArgClass::AnyNumeric: return "T";
    case ArgClass::Any: return "any";
  }
  return "?";
}

std::string Signature::describe() const {
  std::string s = name + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += (i == 1 && kind == FunctionKind::Density) ? " | " : ", ";
    s += args[i].str();
  }
  s += ")";
  switch (ret) {
    case RetRule::Fixed: s += " => " + retType.str(); break;
    case RetRule::Elementwise: s += " => T"; break;
    case RetRule::Same: s += " => same type"; break;
    case RetRule::Array1: s += " => array[] T"; break;
    case RetRule::Array2: s += " => array[,] T"; break;
    case RetRule::Array3: s += " => array[,,] T"; break;
    case RetRule::RngReal: s += " => real or array[] real"; break;
    case RetRule::RngInt: s += " => int or array[] int"; break;
  }
  return s;
}

int Signature::matchCost(const std::vector<Type>& argTypes) const {
  if (argTypes.size() != args.size()) return -1;
  int total = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    int c = argCost(args[i], argTypes[i]);
    if (c < 0) return -1;
    total += c;
  }
  return total;
}

Type Signature::resultType(const std::vector<Type>& a) const {
  switch (ret) {
    case RetRule::Fixed: return retType;
    case RetRule::Elementwise: {
      // The type of the (first) T argument: `T operator.^(real, T)` returns T, not real.
      size_t k = 0;
      while (k < args.size() && k < a.size() && args[k].cls != ArgClass::AnyNumeric) ++k;
      Type t = a.at(k < a.size() && k < args.size() ? k : 0);
      if (t.elem == ElemType::Int) t.elem = ElemType::Real;
      return t;
    }
    case RetRule::Same: return a.at(0);
    case RetRule::Array1: return Type::arrayOf(a.at(0), 1);
    case RetRule::Array2: return Type::arrayOf(a.at(0), 2);
    case RetRule::Array3: return Type::arrayOf(a.at(0), 3);
    case RetRule::RngReal:
    case RetRule::RngInt: {
      bool scalar = std::all_of(a.begin(), a.end(), [](const Type& t) { return t.isScalar(); });
      Type base = ret == RetRule::RngReal ? Type::real() : Type::integer();
      return scalar ? base : Type::arrayOf(base);
    }
  }
  return Type::error();
}

const SignatureTable& SignatureTable::builtins() {
  static const SignatureTable table = [] {
    SignatureTable t;
    registerBuiltinFunctions(t);
    registerBuiltinDistributions(t);
    return t;
  }();
  return table;
}

void SignatureTable::addRow(Signature sig) {
  rows_.push_back(std::make_unique<Signature>(std::move(sig)));
  const Signature* p = rows_.back().get();
  auto it = std::lower_bound(byName_.begin(), byName_.end(), p->name,
                             [](const auto& e, const std::string& n) { return e.first < n; });
  if (it == byName_.end() || it->first != p->name) it = byName_.insert(it, {p->name, {}});
  it->second.push_back(p);
}

void SignatureTable::addFunction(const std::string& row, FunctionKind kind) {
  // "ret name(args)"
  size_t open = row.find('('), close = row.rfind(')');
  MVC_ASSERT(open != std::string::npos && close != std::string::npos, "bad signature row: " + row);
  std::string head = trim(row.substr(0, open));
  size_t sp = head.rfind(' ');
  MVC_ASSERT(sp != std::string::npos, "bad signature row: " + row);
  std::string ret = trim(head.substr(0, sp));
  Signature sig;
  sig.name = head.substr(sp + 1);
  sig.kind = kind;
  if (sig.name.rfind("operator", 0) == 0) sig.kind = FunctionKind::Operator;
  for (const auto& a : splitArgs(row.substr(open + 1, close - open - 1))) sig.args.push_back(parseArgSpec(a));
  if (ret == "T") sig.ret = RetRule::Elementwise;
  else if (ret == "same") sig.ret = RetRule::Same;
  else if (ret == "array1") sig.ret = RetRule::Array1;
  else if (ret == "array2") sig.ret = RetRule::Array2;
  else if (ret == "array3") sig.ret = RetRule::Array3;
  else if (ret == "rng_real") sig.ret = RetRule::RngReal;
  else if (ret == "rng_int") sig.ret = RetRule::RngInt;
  else {
    sig.ret = RetRule::Fixed;
    ArgSpec r = parseArgSpec(ret);
    MVC_ASSERT(r.cls == ArgClass::Exact, "bad return type in row: " + row);
    sig.retType = r.type;
  }
  addRow(std::move(sig));
}

void SignatureTable::addDistribution(const DistRow& d) {
  families_.push_back(d.family);
  std::string fam = d.family;
  std::string params = d.params;
  std::string sep = params.empty() ? "" : ", ";
  std::string dens = d.discrete ? "_lpmf" : "_lpdf";
  std::string udens = d.discrete ? "_lupmf" : "_lupdf";
  for (const std::string& suffix : {dens, udens}) {
    addFunction("real " + fam + suffix + "(" + d.variate + sep + params + ")", FunctionKind::Density);
    Signature& s = *rows_.back();
    s.family = fam;
    s.truncatable = d.hasCdf;
  }
  if (d.hasCdf) {
    for (const char* suffix : {"_cdf", "_lcdf", "_lccdf"}) {
      addFunction("real " + fam + suffix + "(" + d.variate + sep + params + ")", FunctionKind::Cdf);
      rows_.back()->family = fam;
    }
  }
  if (d.rng) {
    // d.rng is "RET(ARGS)" when the rng takes other arguments than the density, or just "RET".
    std::string spec = d.rng;
    size_t open = spec.find('(');
    std::string ret = open == std::string::npos ? spec : spec.substr(0, open);
    std::string args = open == std::string::npos ? params : spec.substr(open + 1, spec.size() - open - 2);
    addFunction(ret + " " + fam + "_rng(" + args + ")", FunctionKind::Rng);
    rows_.back()->family = fam;
  }
}

const std::vector<const Signature*>* SignatureTable::find(const std::string& name) const {
  auto it = std::lower_bound(byName_.begin(), byName_.end(), name,
                             [](const auto& e, const std::string& n) { return e.first < n; });
  return (it != byName_.end() && it->first == name) ? &it->second : nullptr;
}

bool SignatureTable::has(const std::string& name) const { return find(name) != nullptr; }

const std::vector<const Signature*>& SignatureTable::overloads(const std::string& name) const {
  static const std::vector<const Signature*> none;
  auto* f = find(name);
  return f ? *f : none;
}

Resolution SignatureTable::resolve(const std::string& name, const std::vector<Type>& argTypes) const {
  Resolution r;
  int best = -1;
  for (const Signature* s : overloads(name)) {
    int c = s->matchCost(argTypes);
    if (c < 0) continue;
    Type t = s->resultType(argTypes);
    if (best < 0 || c < best) {
      best = c;
      r.signature = s;
      r.type = t;
      r.ambiguous = false;
    } else if (c == best && t != r.type) {
      r.ambiguous = true;
    }
  }
  if (r.ambiguous) r.signature = nullptr;
  return r;
}

std::vector<std::string> SignatureTable::names() const {
  std::vector<std::string> out;
  for (const auto& e : byName_)
    if (e.first.rfind("operator", 0) != 0) out.push_back(e.first);
  return out;
}

bool SignatureTable::isDistribution(const std::string& family) const {
  return std::find(families_.begin(), families_.end(), family) != families_.end();
}

std::vector<std::string> SignatureTable::distributionNames() const { return families_; }

}  // namespace mvc
