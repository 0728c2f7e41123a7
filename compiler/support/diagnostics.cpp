#include "support/diagnostics.h"

#include <algorithm>
#include <sstream>

namespace mvc {

const std::vector<DiagKindInfo>& allDiagKinds() {
  static const std::vector<DiagKindInfo> kinds = {
#define DIAG(kind, severity, what) {DiagKind::kind, #kind, Severity::severity, what},
#include "support/diagnostic_kinds.def"
#undef DIAG
  };
  return kinds;
}

const DiagKindInfo& diagKindInfo(DiagKind kind) { return allDiagKinds().at(static_cast<size_t>(kind)); }

Diagnostic& Diagnostics::report(DiagKind kind, SourceRange range, std::string message) {
  const auto& info = diagKindInfo(kind);
  if (info.severity == Severity::Error) ++errorCount_;
  diags_.push_back(Diagnostic{kind, info.severity, range, std::move(message), {}});
  return diags_.back();
}

void Diagnostics::note(SourceRange range, std::string message) {
  MVC_ASSERT(!diags_.empty(), "note without a diagnostic");
  diags_.back().notes.push_back(Note{range, std::move(message)});
}

static const char* severityName(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

void Diagnostics::renderOne(std::ostream& out, Severity sev, SourceRange range, const std::string& message,
                            const char* kindName) const {
  out << file_->name();
  if (range.valid()) out << ":" << range.begin.line << ":" << range.begin.column;
  out << ": " << severityName(sev) << ": " << message;
  if (kindName) out << " [" << kindName << "]";
  out << "\n";
  if (!range.valid()) return;
  int line = range.begin.line;
  std::string text = file_->lineText(line);
  int first = range.begin.column;
  int last = (range.end.valid() && range.end.line == line) ? std::max(range.end.column, first)
                                                            : static_cast<int>(text.size());
  // Show the line safely: control bytes (and, in a line that is not UTF-8, every non-ASCII
  // byte) as '?', and a very long line only around the caret.
  bool utf8 = true;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > text.size()) utf8 = false;
    for (size_t k = 1; utf8 && k < len; ++k) utf8 = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (!utf8) break;
    i += len - 1;
  }
  for (char& ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F || (!utf8 && c >= 0x80)) ch = '?';
  }
  constexpr int kWidth = 120;
  if (static_cast<int>(text.size()) > kWidth) {
    int start = std::max(0, std::min(first - kWidth / 2, static_cast<int>(text.size()) - kWidth));
    text = (start > 0 ? "..." : "") + text.substr(start, kWidth) + "...";
    int shift = start - (start > 0 ? 3 : 0);
    first -= shift;
    last = std::min(last - shift, static_cast<int>(text.size()));
  }
  std::string num = std::to_string(line);
  std::string gutter(num.size(), ' ');
  out << " " << num << " | " << text << "\n";
  // Caret under the range (clipped to this line); tabs are kept so columns line up.
  last = std::max(first, std::min(last, static_cast<int>(text.size())));
  std::string marks;
  for (int c = 1; c < first; ++c) marks += (c - 1 < static_cast<int>(text.size()) && text[c - 1] == '\t') ? '\t' : ' ';
  marks += '^';
  for (int c = first + 1; c <= last; ++c) marks += '~';
  out << " " << gutter << " | " << marks << "\n";
}

void Diagnostics::render(std::ostream& out) const {
  std::vector<const Diagnostic*> sorted;
  for (const auto& d : diags_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    if (a->range.begin.line != b->range.begin.line) return a->range.begin.line < b->range.begin.line;
    return a->range.begin.column < b->range.begin.column;
  });
  int errors = 0;
  for (const Diagnostic* d : sorted) {
    if (d->severity == Severity::Error && ++errors > kMaxErrors) continue;
    renderOne(out, d->severity, d->range, d->message, diagKindInfo(d->kind).name);
    for (const auto& n : d->notes) renderOne(out, Severity::Note, n.range, n.message, nullptr);
  }
  if (errors > kMaxErrors) out << file_->name() << ": " << (errors - kMaxErrors) << " more errors not shown\n";
}

std::string Diagnostics::renderToString() const {
  std::ostringstream ss;
  render(ss);
  return ss.str();
}

int editDistance(const std::string& a, const std::string& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string closestName(const std::string& name, const std::vector<std::string>& candidates) {
  // Short names have too many neighbours for a guess to help ("a" is one edit from "J").
  int limit = name.size() <= 2 ? 0 : name.size() <= 4 ? 1 : name.size() <= 7 ? 2 : 3;
  if (limit == 0) return "";
  std::string best;
  int bestD = limit + 1;
  for (const auto& c : candidates) {
    int d = editDistance(name, c);
    if (d < bestD || (d == bestD && c < best)) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= limit ? best : "";
}

}  // namespace mvc
