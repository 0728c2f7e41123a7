// `mvc graph`: the model as a Graphviz graph at the level of the program's variables, the
// picture a PyMC user gets from model_to_graphviz, without N copies of anything.
//
// - One node per variable of the data, transformed data, parameters, transformed parameters
//   and generated quantities blocks. Parameters are ellipses, observed data (data that a '~'
//   statement gives a distribution) filled ellipses, other data boxes, transformed
//   parameters and transformed data rectangles with rounded corners, generated quantities
//   dashed. A variable with a distribution shows it under its name ("y ~ multi_normal").
// - An edge a -> b when a is used to compute b, or appears in the distribution of b.
// - A variable whose outermost size is an expression (array[N] ..., vector[N]) sits in a
//   plate labelled with that size ("N", or "N = 2000" when a data file gives it); batched
//   variables are drawn once.
#include "driver/graph.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "frontend/ast_printer.h"

namespace mvc {
namespace {

struct VarInfo {
  const VarDecl* decl = nullptr;
  std::string distribution;  // from '~' or target += f_lpdf(v | ...)
  std::string plate;         // printed outermost size, "" for none
  int order = 0;
};

class GraphBuilder {
 public:
  GraphBuilder(const Program& p, const std::map<std::string, int64_t>& sizes) : p_(p), sizes_(sizes) {}

  std::string dot() {
    for (int b = 1; b < kNumBlocks; ++b) {
      if (static_cast<BlockKind>(b) == BlockKind::Model) continue;
      for (const auto& s : p_.blocks[b].items)
        if (s->kind == StmtKind::Decl && s->decl->topLevel) addVar(*s->decl);
    }
    for (int b = 1; b < kNumBlocks; ++b)
      for (const auto& s : p_.blocks[b].items) stmt(*s, nullptr);
    return render();
  }

 private:
  void addVar(const VarDecl& d) {
    VarInfo& v = vars_[d.name];
    v.decl = &d;
    v.order = static_cast<int>(vars_.size());
    const SizedType& t = d.type;
    const Expr* outer = !t.arrayDims.empty() ? t.arrayDims[0].get() : !t.sizes.empty() ? t.sizes[0].get() : nullptr;
    if (outer && outer->kind != ExprKind::IntLit) v.plate = exprToString(*outer);
  }

  // Program variables that `e` reads.
  void uses(const Expr* e, std::set<std::string>& out) {
    if (!e) return;
    if (e->kind == ExprKind::Var && vars_.count(e->name) && e->decl && e->decl->topLevel) out.insert(e->name);
    for (const auto& a : e->args) uses(a.get(), out);
    for (const auto& ix : e->indices) {
      uses(ix.lo.get(), out);
      uses(ix.hi.get(), out);
    }
  }

  static std::string rootName(const Expr& e) {
    const Expr* p = &e;
    while (p->kind == ExprKind::Index) p = p->args[0].get();
    return p->kind == ExprKind::Var ? p->name : "";
  }

  void link(const std::set<std::string>& from, const std::string& to) {
    if (!vars_.count(to)) return;
    for (const auto& f : from)
      if (f != to) edges_.insert({f, to});
  }

  // `target` is the variable whose value the enclosing local computation feeds, if any.
  void stmt(const Stmt& s, const std::string* target) {
    switch (s.kind) {
      case StmtKind::Decl:
        if (s.decl->init) {
          std::set<std::string> in;
          uses(s.decl->init.get(), in);
          link(in, s.decl->name);
          if (!vars_.count(s.decl->name)) locals_[s.decl->name] = in;
        }
        return;
      case StmtKind::Assign: {
        std::set<std::string> in;
        uses(s.rhs.get(), in);
        addLocalUses(s.rhs.get(), in);
        link(in, rootName(*s.lhs));
        return;
      }
      case StmtKind::Tilde: {
        std::string y = rootName(*s.lhs);
        if (y.empty()) {  // to_vector(z) ~ std_normal(): the one variable the left side reads
          std::set<std::string> lhs;
          uses(s.lhs.get(), lhs);
          if (lhs.size() == 1) y = *lhs.begin();
        }
        std::set<std::string> in;
        for (const auto& a : s.args) {
          uses(a.get(), in);
          addLocalUses(a.get(), in);
        }
        link(in, y);
        if (vars_.count(y)) vars_[y].distribution = s.name;
        return;
      }
      case StmtKind::TargetPlus: {
        const Expr& e = *s.rhs;
        if (e.kind == ExprKind::Call && e.conditional && !e.args.empty()) {
          std::string y = rootName(*e.args[0]);
          std::set<std::string> in;
          for (size_t k = 1; k < e.args.size(); ++k) {
            uses(e.args[k].get(), in);
            addLocalUses(e.args[k].get(), in);
          }
          link(in, y);
          if (vars_.count(y)) vars_[y].distribution = e.name.substr(0, e.name.rfind('_'));
        }
        return;
      }
      default: break;
    }
    if (s.body) stmt(*s.body, target);
    if (s.elseBody) stmt(*s.elseBody, target);
    for (const auto& it : s.items) stmt(*it, target);
  }

  // Local variables (model block) stand for the program variables they were computed from.
  void addLocalUses(const Expr* e, std::set<std::string>& out) {
    if (!e) return;
    if (e->kind == ExprKind::Var && locals_.count(e->name)) out.insert(locals_[e->name].begin(), locals_[e->name].end());
    for (const auto& a : e->args) addLocalUses(a.get(), out);
  }

  static std::string quote(const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += (c == '"' ? std::string("\\\"") : std::string(1, c));
    return q + "\"";
  }

  std::string plateLabel(const std::string& plate) const {
    auto it = sizes_.find(plate);
    return it == sizes_.end() ? plate : plate + " = " + std::to_string(it->second);
  }

  std::string nodeLine(const VarInfo& v) const {
    const VarDecl& d = *v.decl;
    std::string label = d.name;
    if (!v.distribution.empty()) label += "\\n~ " + v.distribution;
    label += "\\n" + sizedTypeToString(d.type);
    std::string attrs;
    switch (d.origin) {
      case Origin::Parameter: attrs = "shape=ellipse"; break;
      case Origin::Data:
        attrs = v.distribution.empty() ? "shape=box, style=filled, fillcolor=lightgrey"
                                       : "shape=ellipse, style=filled, fillcolor=lightgrey";
        break;
      case Origin::TransformedData: attrs = "shape=box, style=\"rounded,filled\", fillcolor=lightgrey"; break;
      case Origin::TransformedParameter: attrs = "shape=box, style=rounded"; break;
      case Origin::GeneratedQuantity: attrs = "shape=ellipse, style=dashed"; break;
      default: attrs = "shape=box"; break;
    }
    return "    " + quote(d.name) + " [label=" + quote(label) + ", " + attrs + "];\n";
  }

  std::string render() const {
    std::vector<const VarInfo*> ordered;
    for (const auto& [name, v] : vars_) ordered.push_back(&v);
    std::sort(ordered.begin(), ordered.end(), [](const VarInfo* a, const VarInfo* b) { return a->order < b->order; });
    std::ostringstream out;
    out << "digraph model {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n";
    std::vector<std::string> plates;
    for (const VarInfo* v : ordered)
      if (!v->plate.empty() && std::find(plates.begin(), plates.end(), v->plate) == plates.end()) plates.push_back(v->plate);
    for (const VarInfo* v : ordered)
      if (v->plate.empty()) out << nodeLine(*v).substr(2);
    int k = 0;
    for (const auto& plate : plates) {
      out << "  subgraph cluster_" << k++ << " {\n    label=" << quote(plateLabel(plate))
          << "; labeljust=r; labelloc=b; style=rounded;\n";
      for (const VarInfo* v : ordered)
        if (v->plate == plate) out << nodeLine(*v);
      out << "  }\n";
    }
    for (const auto& [from, to] : edges_) out << "  " << quote(from) << " -> " << quote(to) << ";\n";
    out << "}\n";
    return out.str();
  }

  const Program& p_;
  const std::map<std::string, int64_t>& sizes_;
  std::map<std::string, VarInfo> vars_;
  std::map<std::string, std::set<std::string>> locals_;
  std::set<std::pair<std::string, std::string>> edges_;
};

}  // namespace

std::string modelGraph(const Program& program, const std::map<std::string, int64_t>& sizes) {
  return GraphBuilder(program, sizes).dot();
}

}  // namespace mvc
