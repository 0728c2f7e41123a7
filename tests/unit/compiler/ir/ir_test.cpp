#include "ir/ir.h"

#include <gtest/gtest.h>

#include <set>

#include "frontend/signatures.h"
#include "ir/builder.h"
#include "support/diagnostics.h"

namespace mvc::ir {
namespace {

TEST(OpTable, EveryOpHasAUniqueMnemonicAndAMeaning) {
  std::set<std::string> seen;
  for (const OpInfo& o : allOps()) {
    EXPECT_TRUE(seen.insert(o.mnemonic).second) << o.mnemonic;
    EXPECT_STRNE(o.meaning, "");
    EXPECT_EQ(&opInfo(o.op), &o);
  }
}

// data { int N; vector[N] y; }  model { target += sum(exp(y)) * 2; }
Module smallModule() {
  Module m;
  m.name = "small";
  Builder b(m);
  b.setRegion(m.data.get());
  b.setRole(Role::Data);
  Node* n = b.create(Op::Data, IrType{Type::integer(), {}}, {});
  n->s = "N";
  Node* y = b.create(Op::Data, IrType{Type::vector(), {Dim::of(n)}}, {});
  y->s = "y";
  b.setRegion(m.model.get());
  b.setRole(Role::Model);
  const SignatureTable& T = SignatureTable::builtins();
  Node* e = b.call(T.resolve("exp", {Type::vector()}).signature, {y}, IrType{Type::vector(), {Dim::of(n)}});
  Node* s = b.call(T.resolve("sum", {Type::vector()}).signature, {e}, IrType{Type::real(), {}});
  Node* two = b.constInt(2);
  Node* p = b.call(T.resolve("operator*", {Type::real(), Type::integer()}).signature, {s, two}, IrType{Type::real(), {}});
  b.create(Op::TargetAdd, IrType{Type::voidType(), {}}, {p});
  return m;
}

TEST(Printer, OneLinePerNodeInProgramOrder) {
  Module m = smallModule();
  EXPECT_EQ(toString(m),
            "module small\n"
            "data {\n"
            "  %0 : int = data \"N\"  [data]\n"
            "  %1 : vector[N] = data \"y\"  [data]\n"
            "}\n"
            "model {\n"
            "  %2 : vector[N] = call exp(T) %1  [model]\n"
            "  %3 : real = call sum(vector) %2  [model]\n"
            "  %4 : int = const.int 2  [model]\n"
            "  %5 : real = call operator*(real, real) %3, %4  [model]\n"
            "  target.add %5  [model]\n"
            "}\n");
  EXPECT_EQ(verify(m), "");
}

TEST(Builder, RejectsMalformedNodes) {
  Module m;
  Builder b(m);
  b.setRegion(m.model.get());
  const SignatureTable& T = SignatureTable::builtins();
  EXPECT_THROW(b.call(T.resolve("exp", {Type::real()}).signature, {}, IrType{Type::real(), {}}), InternalError);
  Node* t = b.create(Op::TargetAdd, IrType{Type::voidType(), {}}, {b.constReal(1)});
  EXPECT_THROW(b.create(Op::TargetAdd, IrType{Type::voidType(), {}}, {t}), InternalError);  // no value
  EXPECT_THROW(b.create(Op::TargetAdd, IrType{Type::voidType(), {}}, {nullptr}), InternalError);
}

TEST(Verifier, FindsUseBeforeDefinition) {
  Module m = smallModule();
  // Move the target.add before the value it uses.
  auto& nodes = m.model->nodes;
  std::swap(nodes[3], nodes[4]);
  std::string problems = verify(m);
  EXPECT_NE(problems.find("uses %5, which is not defined before it"), std::string::npos) << problems;
}

TEST(Verifier, FindsMissingRegionsAndBadLoads) {
  Module m;
  Builder b(m);
  b.setRegion(m.model.get());
  Node* lo = b.constInt(1);
  b.create(Op::For, IrType{Type::voidType(), {}}, {lo, lo});  // no body region
  b.create(Op::Load, IrType{Type::integer(), {}}, {lo});     // load of something that is not a var
  std::string problems = verify(m);
  EXPECT_NE(problems.find("has 0 regions, the op table says 1"), std::string::npos) << problems;
  EXPECT_NE(problems.find("first input is not a var"), std::string::npos) << problems;
}

TEST(Verifier, ValuesOfEarlierSectionsAreVisibleButNotOfInnerRegions) {
  Module m;
  Builder b(m);
  b.setRegion(m.transformedData.get());
  Node* c = b.constReal(1);
  b.setRegion(m.model.get());
  Node* loop = b.create(Op::For, IrType{Type::voidType(), {}}, {b.constInt(1), b.constInt(3)});
  b.addRegions(loop, 1);
  Node* inner = nullptr;
  b.inRegion(loop->regions[0].get(), [&] { inner = b.create(Op::TargetAdd, IrType{Type::voidType(), {}}, {c}); });
  EXPECT_EQ(verify(m), "");
  Node* innerValue = nullptr;
  b.inRegion(loop->regions[0].get(), [&] { innerValue = b.constReal(2); });
  b.create(Op::TargetAdd, IrType{Type::voidType(), {}}, {innerValue});
  EXPECT_NE(verify(m).find("not defined before it"), std::string::npos);
  (void)inner;
}

}  // namespace
}  // namespace mvc::ir
