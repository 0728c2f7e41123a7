#include "ir/ir.h"

namespace mvc::ir {

const std::vector<OpInfo>& allOps() {
  static const std::vector<OpInfo> ops = {
#define Pure true
#define Effect false
#define OP(kind, mnemonic, purity, regions, meaning) {Op::kind, mnemonic, purity, regions, meaning},
#include "ir/ops.def"
#undef OP
#undef Pure
#undef Effect
  };
  return ops;
}

const OpInfo& opInfo(Op op) { return allOps().at(static_cast<size_t>(op)); }

const char* roleName(Role r) {
  switch (r) {
    case Role::Data: return "data";
    case Role::TransformedData: return "tdata";
    case Role::Parameter: return "param";
    case Role::TransformedParameter: return "tparam";
    case Role::Model: return "model";
    case Role::GeneratedQuantity: return "gq";
    case Role::Function: return "fn";
  }
  return "?";
}

bool Node::hasValue() const {
  switch (op) {
    case Op::Store:
    case Op::StoreIndex:
    case Op::TargetAdd:
    case Op::For:
    case Op::While:
    case Op::If:
    case Op::Yield:
    case Op::Break:
    case Op::Continue:
    case Op::Return:
    case Op::Print:
    case Op::Reject:
    case Op::FatalError:
    case Op::Check:
    case Op::Gradient:
    case Op::AdjAdd:
    case Op::AdjZero:
    case Op::DensityGrad:
    case Op::DensityBatchedGrad:
    case Op::ParamGrad:
    case Op::TapeMark:
    case Op::TapeSave:
    case Op::TapePop:
    case Op::TapeRestore: return false;
    case Op::CallUser: return !type.base.isVoid();
    default: return true;
  }
}

std::vector<std::pair<const char*, Region*>> Module::sections() const {
  return {{"data", data.get()},
          {"transformed_data", transformedData.get()},
          {"parameters", parameters.get()},
          {"model", model.get()},
          {"generated", generated.get()}};
}

}  // namespace mvc::ir
