#include "ir/activity.h"

#include <gtest/gtest.h>

#include "../frontend/test_util.h"
#include "frontend/signatures.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace mvc::ir {
namespace {

std::unique_ptr<Module> build(const std::string& src) {
  auto c = test::compile(src);
  EXPECT_TRUE(c.ok()) << c.text();
  auto m = lowerProgram(*c.program, "t");
  passes::runPipeline(*m, passes::PipelineOptions{});
  return m;
}

const Node* find(Module& m, Op op, const std::string& s = "") {
  const Node* found = nullptr;
  for (Region* r : {m.transformedData.get(), m.parameters.get(), m.model.get()})
    for (const auto& n : r->nodes)
      if (!found && n->op == op && (s.empty() || n->s == s || (n->sig && n->sig->name == s))) found = n.get();
  return found;
}

TEST(Activity, ParametersAndWhatTheyFlowIntoAreActiveDataIsNot) {
  auto m = build(R"(
data { int J; array[J] real y; array[J] real<lower=0> sigma; vector[J] x; }
parameters { real mu; real<lower=0> tau; vector[J] eta; }
transformed parameters { vector[J] theta = mu + tau * eta; }
model { vector[J] lx = log(x); eta ~ std_normal(); y ~ normal(theta + lx, sigma); }
)");
  auto active = activeNodes(*m);
  EXPECT_TRUE(active.count(find(*m, Op::Param, "mu")));
  EXPECT_TRUE(active.count(find(*m, Op::Var, "theta")));
  EXPECT_TRUE(active.count(find(*m, Op::Density, "normal_lpdf")));
  EXPECT_FALSE(active.count(find(*m, Op::Data, "y")));
  const Node* lx = find(*m, Op::Var, "lx");
  ASSERT_NE(lx, nullptr);
  EXPECT_FALSE(active.count(lx));  // log(x) of data: no adjoint needed
  for (const Node* n : active) EXPECT_TRUE(n->hasValue());
}

TEST(Activity, AVariableBecomesActiveThroughALaterStoreInALoop) {
  auto m = build(R"(
data { int T; }
parameters { real s; }
transformed parameters {
  vector[T] mu = rep_vector(0, T);
  for (t in 2:T) mu[t] = mu[t - 1] + s;
}
)");
  auto active = activeNodes(*m);
  EXPECT_TRUE(active.count(find(*m, Op::Var, "mu")));
  // The read of mu[t - 1] inside the loop (a load.index after FuseLoadIndex) sees the active
  // variable.
  bool activeLoad = false;
  for (const Node* n : active) activeLoad = activeLoad || n->op == Op::LoadIndex;
  EXPECT_TRUE(activeLoad);
}

}  // namespace
}  // namespace mvc::ir
