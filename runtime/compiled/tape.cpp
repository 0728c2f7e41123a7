// The undo tape of the reverse sweep (values.h, class Tape; docs/autodiff.md).
#include "values.h"

namespace mvc::values {

Tape::Entry& Tape::push() {
  if (used_ == entries_.size()) entries_.emplace_back();
  return entries_[used_++];
}

void Tape::mark(int64_t id) {
  Entry& e = push();
  e.isMark = true;
  e.id = id;
  e.var = nullptr;
}

void Tape::save(Value& var, const std::string& kinds, const Args& operands) {
  // The old value is read into the next entry before it counts: an index out of range throws
  // here, with the message the store itself would give, and leaves the tape as it was. The
  // entry's storage is reused, so saving a slice allocates nothing once warm.
  if (used_ == entries_.size()) entries_.emplace_back();
  Entry& e = entries_[used_];
  if (kinds.empty()) copyInto(e.old, var);
  else indexValueInto(e.old, var, indexPositions(kinds, operands));
  ++used_;
  e.isMark = false;
  e.var = &var;
  e.leaf = false;
  e.kinds = kinds;
  e.ops.resize(operands.size());
  for (size_t k = 0; k < operands.size(); ++k) copyInto(e.ops[k], operands[k]);
}

void Tape::save(Value& var, int n, const int64_t* idx) {
  double* leaf = realLeaf(var, n, idx);
  if (!leaf) {  // an int, or not a single element: the general form
    std::vector<Value> ops;
    std::vector<const Value*> ptrs;
    for (int k = 0; k < n; ++k) ops.push_back(Value::integer(idx[k]));
    for (const Value& v : ops) ptrs.push_back(&v);
    save(var, std::string(static_cast<size_t>(n), 's'), Args(ptrs));
    return;
  }
  Entry& e = push();
  e.isMark = false;
  e.var = &var;
  e.leaf = true;
  e.idx.assign(idx, idx + n);
  e.oldReal = *leaf;
}

void Tape::restoreEntry(Entry& e) {
  if (e.leaf) {
    *realLeaf(*e.var, static_cast<int>(e.idx.size()), e.idx.data()) = e.oldReal;
    return;
  }
  std::vector<const Value*> ops;
  for (const Value& v : e.ops) ops.push_back(&v);
  assignInto(*e.var, indexPositions(e.kinds, Args(ops)), 0, e.old, AssignMode::Set);
}

void Tape::pop() {
  if (used_ == 0 || entries_[used_ - 1].isMark) throw Error("internal error: the undo tape has no saved value to restore", Error::kFatal);
  restoreEntry(entries_[--used_]);
}

bool Tape::more(int64_t iteration, int64_t loop) const {
  for (size_t k = used_; k-- > 0;) {
    const Entry& e = entries_[k];
    if (e.isMark && e.id == iteration) return true;
    if (e.isMark && e.id == loop) return false;
  }
  return false;
}

void Tape::restore(int64_t id) {
  while (used_ > 0) {
    Entry& e = entries_[--used_];
    if (!e.isMark) restoreEntry(e);
    else if (e.id == id) return;
  }
  throw Error("internal error: the undo tape has no mark " + std::to_string(id), Error::kFatal);
}

}  // namespace mvc::values
