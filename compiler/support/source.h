// Source files and positions. Every AST node and IR node carries a SourceRange so that a
// diagnostic can quote the program's own line and put a caret under the problem.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace mvc {

struct SourceLoc {
  int line = 0;    // 1-based; 0 means "no location"
  int column = 0;  // 1-based, in characters (bytes) of the line
  size_t offset = 0;
  bool valid() const { return line > 0; }
};

struct SourceRange {
  SourceLoc begin, end;  // end is inclusive of the last character
  bool valid() const { return begin.valid(); }
};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);
  // Reads a file; on failure returns null and sets `error` to a sentence for the user.
  static std::shared_ptr<SourceFile> read(const std::string& path, std::string& error);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  int lineCount() const { return static_cast<int>(lineStarts_.size()); }
  std::string lineText(int line) const;  // without the newline
  SourceLoc locAt(size_t offset) const;

 private:
  std::string name_, text_;
  std::vector<size_t> lineStarts_;
};

}  // namespace mvc
