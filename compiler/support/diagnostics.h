// Diagnostics for the user's mistakes: `file:line:col: error: message [Kind]`, the source line,
// a caret under the range, then `note:` lines. Kinds come from diagnostic_kinds.def.
// Internal compiler errors are a separate path (InternalError, below) and are never used for
// anything a user can cause.
#pragma once
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/source.h"

namespace mvc {

enum class Severity { Error, Warning, Note };

enum class DiagKind {
#define DIAG(kind, severity, what) kind,
#include "support/diagnostic_kinds.def"
#undef DIAG
};

struct DiagKindInfo {
  DiagKind kind;
  const char* name;
  Severity severity;
  const char* what;
};
const std::vector<DiagKindInfo>& allDiagKinds();
const DiagKindInfo& diagKindInfo(DiagKind kind);

struct Note {
  SourceRange range;  // may be invalid: then the note has no location
  std::string message;
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<Note> notes;
};

class Diagnostics {
 public:
  explicit Diagnostics(std::shared_ptr<SourceFile> file) : file_(std::move(file)) {}

  Diagnostic& report(DiagKind kind, SourceRange range, std::string message);
  // Adds a note to the most recent diagnostic.
  void note(SourceRange range, std::string message);

  bool hasErrors() const { return errorCount_ > 0; }
  int errorCount() const { return errorCount_; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  const SourceFile& file() const { return *file_; }

  // Diagnostics in source order (stable for equal positions).
  void render(std::ostream& out) const;
  std::string renderToString() const;

  // More errors than this and the rest are summarised: a cascade helps nobody.
  static constexpr int kMaxErrors = 20;

 private:
  void renderOne(std::ostream& out, Severity sev, SourceRange range, const std::string& message,
                 const char* kindName) const;
  std::shared_ptr<SourceFile> file_;
  std::vector<Diagnostic> diags_;
  int errorCount_ = 0;
};

// A bug in mvc itself, never a user error. Caught at the top of the driver, which prints it
// with a request to report it.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};
#define MVC_ASSERT(cond, msg)                                                                  \
  do {                                                                                         \
    if (!(cond)) throw ::mvc::InternalError(std::string(__FILE__) + ":" + std::to_string(__LINE__) + \
                                            ": " + (msg));                                     \
  } while (0)

// Edit distance, for "did you mean" suggestions.
int editDistance(const std::string& a, const std::string& b);
// The closest candidate within a distance that makes sense for the length of `name`, or "".
std::string closestName(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace mvc
