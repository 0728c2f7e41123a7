// Prints the IR: one line per node, in a stable order (regions in program order), nested
// regions indented. This text is what golden tests and --print-ir-after compare.
#include <sstream>

#include "frontend/signatures.h"
#include "ir/ir.h"

namespace mvc::ir {
namespace {

std::string dimToString(const Dim& d) {
  switch (d.kind) {
    case Dim::Const: return std::to_string(d.constant);
    case Dim::Value: return d.value->op == Op::Data ? d.value->s : "%" + std::to_string(d.value->id);
    case Dim::Unknown: return "?";
  }
  return "?";
}

std::string real(double v) {
  std::ostringstream ss;
  ss.precision(17);
  ss << v;
  std::string s = ss.str();
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

class Printer {
 public:
  explicit Printer(std::ostream& out) : out_(out) {}

  void region(const Region& r, int depth) {
    for (const auto& n : r.nodes) node(*n, depth);
  }

  void node(const Node& n, int depth) {
    std::string pad(2 * depth, ' ');
    out_ << pad;
    if (n.hasValue()) out_ << "%" << n.id << " : " << typeToString(n.type) << " = ";
    out_ << opInfo(n.op).mnemonic;
    if (n.op == Op::For && n.i) out_ << " map";
    std::string attrs = attributes(n);
    if (!attrs.empty()) out_ << " " << attrs;
    for (size_t i = 0; i < n.inputs.size(); ++i) out_ << (i ? ", " : " ") << "%" << n.inputs[i]->id;
    out_ << "  [" << roleName(n.role) << "]";
    if (n.regions.empty()) {
      out_ << "\n";
      return;
    }
    out_ << " {\n";
    for (size_t k = 0; k < n.regions.size(); ++k) {
      const Region& r = *n.regions[k];
      if (k > 0) out_ << pad << "} {\n";
      for (const Node* a : r.args) out_ << pad << "  ^%" << a->id << " : " << typeToString(a->type) << "\n";
      region(r, depth + 1);
    }
    out_ << pad << "}\n";
  }

  static std::string attributes(const Node& n) {
    switch (n.op) {
      case Op::ConstInt: return std::to_string(n.i);
      case Op::ConstReal: return real(n.d);
      case Op::Data:
      case Op::Var:
      case Op::CallUser: return "\"" + n.s + "\"";
      case Op::Param: return "\"" + n.s + "\"" + (n.transform.empty() ? "" : " " + n.transform);
      case Op::Check: return n.transform;
      case Op::Arg: return std::to_string(n.i);
      case Op::Call:
      case Op::Rng: {
        std::string d = n.sig->describe();
        return d.substr(0, d.find(" =>"));
      }
      case Op::Density: return n.sig->name + (n.i ? " propto" : "");
      case Op::DensityBatched: {
        std::string modes;
        for (char c : n.s) modes += std::string(modes.empty() ? "" : ",") + c;
        return n.sig->name + (n.i ? " propto" : "") + " [" + modes + "]";
      }
      case Op::Index:
      case Op::LoadIndex:
      case Op::StoreIndex: return "[" + n.s + "]";
      case Op::TapeSave:
      case Op::ParamGrad: return n.s.empty() ? "" : "[" + n.s + "]";
      case Op::TapeMark:
      case Op::TapeRestore: return std::to_string(n.i);
      case Op::TapeMore: return std::to_string(n.i) + " before " + std::to_string(static_cast<int64_t>(n.d));
      case Op::AdjAdd:
      case Op::AdjGet:
      case Op::AdjZero: return n.s.empty() ? "" : "[" + n.s + "]";
      case Op::CallGrad: return n.sig->name + " arg " + std::to_string(n.i);
      case Op::DensityGrad:
      case Op::DensityBatchedGrad: return n.sig->name + (n.i ? " propto" : "") + " [" + n.s + "]";
      case Op::Print:
      case Op::Reject:
      case Op::FatalError: return n.s;
      default: return "";
    }
  }

  std::ostream& out_;
};

}  // namespace

std::string typeToString(const IrType& t) {
  const Type& b = t.base;
  int linalg = totalDims(b) - b.arrayDims;
  if (t.dims.size() != static_cast<size_t>(totalDims(b))) return b.str();  // shape unknown
  std::string s;
  if (b.arrayDims > 0) {
    s = "array[";
    for (int i = 0; i < b.arrayDims; ++i) s += (i ? ", " : "") + dimToString(t.dims[i]);
    s += "] ";
  }
  s += elemTypeName(b.elem);
  if (linalg > 0) {
    s += "[";
    for (int i = 0; i < linalg; ++i) s += (i ? ", " : "") + dimToString(t.dims[b.arrayDims + i]);
    s += "]";
  }
  return s;
}

void print(const Module& m, std::ostream& out) {
  Printer p(out);
  out << "module " << m.name << "\n";
  for (const auto& f : m.functions) {
    out << "function " << f.returnType.str() << " " << f.name << "(";
    for (size_t i = 0; i < f.params.size(); ++i) out << (i ? ", " : "") << f.params[i].str();
    out << ") {\n";
    for (const Node* a : f.body->args) out << "  ^%" << a->id << " : " << typeToString(a->type) << "\n";
    p.region(*f.body, 1);
    out << "}\n";
  }
  for (const auto& [name, region] : m.sections()) {
    if (region->nodes.empty()) continue;
    out << name << " {\n";
    p.region(*region, 1);
    out << "}\n";
  }
  for (const auto& note : m.notes) out << "; note: " << note << "\n";
}

std::string toString(const Module& m) {
  std::ostringstream ss;
  print(m, ss);
  return ss.str();
}

}  // namespace mvc::ir
