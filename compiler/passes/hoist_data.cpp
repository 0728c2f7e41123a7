// HoistData: moves work that depends only on data out of the per-gradient sections
// (parameters, model, generated quantities) into transformed data, which runs once when the
// model is constructed (DESIGN.md section 4: per-gradient work is only what depends on
// parameters).
//
//   before:  model {
//              %12 : vector[N] = call log(vector) %3        [model]    (%3 is data)
//              %13 : real = density normal_lpdf propto %7, %12, %4
//   after:   transformed_data {
//              %12 : vector[N] = call log(vector) %3        [tdata]
//            model {
//              %13 : real = density normal_lpdf propto %7, %12, %4
//
// A node is data-only when it is pure and all its inputs are data-only: constants, data,
// values of transformed data, and loads of transformed-data variables (which never change
// after construction); a `~` density (propto) is never moved, as its value depends on whether
// constants are dropped. Top-level nodes move; inside loops and conditionals only loads of
// transformed-data variables move (they cannot fail, so running them at construction is safe
// even when the loop would run zero times), which makes `L[n]` of a transformed-data array
// inside a loop an index of a construction value, as VectorizeBatchedMvn needs. Other nodes
// inside loops stay (a loop-invariant code motion pass can be added later).
#include <functional>
#include <unordered_set>

#include "ir/rewrite.h"
#include "passes/pipeline.h"

namespace mvc::passes {

void hoistData(ir::Module& m) {
  std::unordered_set<const ir::Node*> dataOnly;
  for (ir::Region* r : {m.data.get(), m.transformedData.get()})
    for (auto& n : r->nodes) dataOnly.insert(n.get());
  auto isDataOnly = [&](const ir::Node& n) {
    bool movable = (n.pure() || (n.op == ir::Op::Load && dataOnly.count(n.inputs[0]))) && n.regions.empty();
    // A `~` term's value depends on the evaluation: with propto (sampling) one of data only
    // is 0, without it the full density, as in Stan. It stays where it is evaluated.
    if ((n.op == ir::Op::Density || n.op == ir::Op::DensityBatched) && n.i != 0) return false;
    if (!movable) return false;
    for (const ir::Node* in : n.inputs)
      if (!dataOnly.count(in)) return false;
    return true;
  };
  ir::Region& target = *m.transformedData;
  // Moves the nodes of r that `movable` accepts to the end of transformed data (in order).
  auto hoist = [&](ir::Region& r, auto movable) {
    std::vector<std::unique_ptr<ir::Node>> kept;
    for (auto& n : r.nodes) {
      if (movable(*n)) {
        dataOnly.insert(n.get());
        n->role = ir::Role::TransformedData;
        n->parent = &target;
        target.nodes.push_back(std::move(n));
      } else {
        kept.push_back(std::move(n));
      }
    }
    r.nodes = std::move(kept);
  };
  for (ir::Region* r : {m.parameters.get(), m.model.get(), m.generated.get()}) hoist(*r, isDataOnly);
  // Loads of transformed-data variables inside loops and conditionals (innermost first).
  std::function<void(ir::Region&)> nested = [&](ir::Region& r) {
    for (auto& n : r.nodes)
      for (auto& sub : n->regions) nested(*sub);
    hoist(r, [&](const ir::Node& n) {
      return n.op == ir::Op::Load && n.regions.empty() && dataOnly.count(n.inputs[0]) > 0;
    });
  };
  for (ir::Region* r : {m.parameters.get(), m.model.get(), m.generated.get()})
    for (auto& n : r->nodes)
      for (auto& sub : n->regions) nested(*sub);
}

}  // namespace mvc::passes
