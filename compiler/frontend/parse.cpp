#include "frontend/parse.h"

#include <antlr4-runtime.h>

#include <cstdio>
#include <set>

#include "StanLexer.h"
#include "StanParser.h"
#include "frontend/ast_builder.h"

namespace mvc {
namespace {
using grammar::StanLexer;
using grammar::StanParser;

SourceRange tokenRange(const antlr4::Token* t) {
  SourceRange r;
  r.begin.line = static_cast<int>(t->getLine());
  r.begin.column = static_cast<int>(t->getCharPositionInLine()) + 1;
  r.begin.offset = t->getStartIndex();
  std::string text = t->getType() == antlr4::Token::EOF ? "" : t->getText();
  // Multi-line tokens (comments) end on their own line; the caret covers the first line only.
  size_t nl = text.find('\n');
  size_t len = nl == std::string::npos ? text.size() : nl;
  r.end = r.begin;
  r.end.column = r.begin.column + static_cast<int>(len > 0 ? len - 1 : 0);
  return r;
}

std::string describeToken(const antlr4::Token* t) {
  if (t->getType() == antlr4::Token::EOF) return "the end of the file";
  return "'" + t->getText() + "'";
}

// Friendly names for the token kinds a user may be told were expected.
std::string expectedName(const antlr4::dfa::Vocabulary& vocab, size_t type) {
  switch (type) {
    case StanLexer::IDENTIFIER: return "a name";
    case StanLexer::INT_LITERAL: return "an integer";
    case StanLexer::REAL_LITERAL: return "a real number";
    case StanLexer::STRING: return "a string";
    case antlr4::Token::EOF: return "the end of the file";
  }
  return vocab.getDisplayName(type);  // keywords and punctuation: quoted, e.g. ';'
}

class SyntaxErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit SyntaxErrorListener(Diagnostics& diags) : diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t,
                   const std::string& antlrMessage, std::exception_ptr) override {
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    if (!parser || !offending) {
      diags_.report(DiagKind::SyntaxError, SourceRange{}, antlrMessage);
      return;
    }
    // Only the first syntax error: after it the parser's recovery guesses, and what it says
    // next is usually an echo of the first mistake. An error on a line that already has a
    // lexical error (a stray character) is such an echo too.
    if (reported_) return;
    reported_ = true;
    if (skipLines_.count(static_cast<int>(offending->getLine()))) return;
    antlr4::misc::IntervalSet expected = parser->getExpectedTokens();
    const auto& vocab = parser->getVocabulary();
    if (expected.contains(static_cast<size_t>(StanLexer::IDENTIFIER)) && isKeyword(offending) && !expected.contains(offending->getType())) {
      diags_.report(DiagKind::SyntaxError, tokenRange(offending),
                    "'" + offending->getText() + "' is a reserved word and cannot be used as a name");
      return;
    }
    if (expected.contains(static_cast<size_t>(StanLexer::MODEL)) && offending->getType() == StanLexer::IDENTIFIER) {
      std::string msg = "unexpected '" + offending->getText() +
                        "'; expected a block: functions, data, transformed data, parameters, transformed "
                        "parameters, model or generated quantities";
      diags_.report(DiagKind::SyntaxError, tokenRange(offending), msg);
      std::string guess = closestName(offending->getText(), {"functions", "data", "parameters", "model", "transformed",
                                                              "generated", "quantities"});
      if (!guess.empty()) diags_.note(SourceRange{}, "did you mean '" + guess + "'?");
      return;
    }
    const antlr4::Token* prev = previousToken(parser, offending);
    bool wantsSemi = false;
    for (size_t t : expected.toList())
      if (vocab.getLiteralName(t) == "';'") wantsSemi = true;
    if (wantsSemi && prev && (prev->getLine() < offending->getLine() || expected.size() == 1)) {
      SourceRange r = tokenRange(prev);
      r.begin = r.end;
      r.begin.column += 1;
      r.end = r.begin;
      diags_.report(DiagKind::MissingSemicolon, r,
                    "expected ';' after '" + prev->getText() + "' (found " + describeToken(offending) + ")");
      return;
    }
    std::string msg = "unexpected " + describeToken(offending);
    auto list = expected.toList();
    if (!list.empty() && list.size() <= 8) {
      msg += "; expected ";
      for (size_t i = 0; i < list.size(); ++i) {
        if (i) msg += i + 1 == list.size() ? " or " : ", ";
        msg += expectedName(vocab, list[i]);
      }
    }
    diags_.report(DiagKind::SyntaxError, tokenRange(offending), msg);
  }

 private:
  static const antlr4::Token* previousToken(antlr4::Parser* parser, const antlr4::Token* t) {
    auto* stream = dynamic_cast<antlr4::BufferedTokenStream*>(parser->getTokenStream());
    if (!stream) return nullptr;
    for (long i = static_cast<long>(t->getTokenIndex()) - 1; i >= 0; --i) {
      antlr4::Token* p = stream->get(static_cast<size_t>(i));
      if (p->getChannel() == antlr4::Token::DEFAULT_CHANNEL) return p;
    }
    return nullptr;
  }
  static bool isKeyword(const antlr4::Token* t) {
    size_t type = t->getType();
    return type >= StanLexer::FUNCTIONS && type < StanLexer::IDENTIFIER;
  }
  Diagnostics& diags_;
  bool reported_ = false;

 public:
  std::set<int> skipLines_;
};

// Reports stray characters, #include, unclosed strings and comments, and drops them from the
// token list. Returns false if the rest of the file cannot be trusted (an unclosed comment
// swallows everything after it).
bool checkLexicalErrors(std::vector<std::unique_ptr<antlr4::Token>>& tokens, Diagnostics& diags,
                        std::set<int>& errorLines) {
  bool trustworthy = true;
  std::vector<std::unique_ptr<antlr4::Token>> kept;
  for (auto& t : tokens) {
    size_t type = t->getType();
    if (type == StanLexer::BAD_CHARACTER || type == StanLexer::INCLUDE) errorLines.insert(static_cast<int>(t->getLine()));
    switch (type) {
      case StanLexer::BAD_CHARACTER:
        diags.report(DiagKind::BadCharacter, tokenRange(t.get()),
                     "the character '" + t->getText() + "' cannot appear in a program");
        continue;
      case StanLexer::INCLUDE:
        diags.report(DiagKind::IncludeNotSupported, tokenRange(t.get()),
                     "#include is not supported: mvc compiles one self-contained file; paste the "
                     "included program text here instead");
        continue;
      case StanLexer::UNTERMINATED_STRING:
        diags.report(DiagKind::UnterminatedString, tokenRange(t.get()),
                     "this string is not closed: add '\"' before the end of the line");
        trustworthy = false;
        continue;
      case StanLexer::UNTERMINATED_COMMENT: {
        SourceRange r = tokenRange(t.get());
        r.end = r.begin;
        r.end.column += 1;
        diags.report(DiagKind::UnterminatedComment, r, "this comment is never closed: add '*/' where it should end");
        trustworthy = false;
        continue;
      }
      default: kept.push_back(std::move(t));
    }
  }
  tokens = std::move(kept);
  return trustworthy;
}

// A program block keyword must be followed by '{'. Checked before the brackets, whose own
// message ("'}' has no matching opening bracket") would point at the far end of the block.
bool checkBlockOpeners(const std::vector<std::unique_ptr<antlr4::Token>>& tokens, Diagnostics& diags) {
  std::vector<const antlr4::Token*> toks;
  for (const auto& t : tokens)
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) toks.push_back(t.get());
  int depth = 0;
  for (size_t i = 0; i + 1 < toks.size(); ++i) {
    std::string s = toks[i]->getText();
    if (s == "{") ++depth;
    if (s == "}") --depth;
    if (depth != 0) continue;
    size_t type = toks[i]->getType();
    // At depth 0 these words can only begin a block ('data' in function arguments is deeper).
    bool blockWord = type == StanLexer::FUNCTIONS || type == StanLexer::MODEL || type == StanLexer::QUANTITIES ||
                     type == StanLexer::DATA || type == StanLexer::PARAMETERS;
    if (blockWord && toks[i + 1]->getText() != "{" && toks[i + 1]->getType() != antlr4::Token::EOF) {
      std::string name = (i > 0 && toks[i - 1]->getType() == StanLexer::TRANSFORMED) ? "transformed " + s
                         : type == StanLexer::QUANTITIES ? "generated quantities" : s;
      diags.report(DiagKind::SyntaxError, tokenRange(toks[i + 1]),
                   "expected '{' after '" + name + "', but found '" + toks[i + 1]->getText() + "'");
      return false;
    }
  }
  return true;
}

// Brackets must pair up before parsing is worth trying: the parser's own messages about a
// missing '}' point at the end of the file, far from the opening brace a user has to find.
bool checkBrackets(const std::vector<std::unique_ptr<antlr4::Token>>& tokens, Diagnostics& diags) {
  std::vector<const antlr4::Token*> open;
  auto closerOf = [](const std::string& s) { return s == "(" ? ")" : s == "[" ? "]" : "}"; };
  for (const auto& t : tokens) {
    if (t->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
    std::string s = t->getText();
    if (s == "(" || s == "[" || s == "{") {
      open.push_back(t.get());
    } else if (s == ")" || s == "]" || s == "}") {
      if (open.empty()) {
        diags.report(DiagKind::UnbalancedBracket, tokenRange(t.get()), "'" + s + "' has no matching opening bracket");
        return false;
      }
      const antlr4::Token* o = open.back();
      if (closerOf(o->getText()) != s) {
        diags.report(DiagKind::UnbalancedBracket, tokenRange(t.get()),
                     "expected '" + std::string(closerOf(o->getText())) + "' to close the '" + o->getText() +
                         "' opened at line " + std::to_string(o->getLine()) + ", but found '" + s + "'");
        diags.note(tokenRange(o), "the '" + o->getText() + "' opened here");
        return false;
      }
      open.pop_back();
    }
  }
  if (!open.empty()) {
    const antlr4::Token* o = open.back();
    diags.report(DiagKind::UnbalancedBracket, tokenRange(o),
                 "this '" + o->getText() + "' is never closed: add '" + closerOf(o->getText()) + "'");
    return false;
  }
  return true;
}

// ANTLR reads UTF-8 and throws on anything else; a binary or Latin-1 file gets a message.
bool checkUtf8(const SourceFile& file, Diagnostics& diags) {
  const std::string& t = file.text();
  for (size_t i = 0; i < t.size();) {
    unsigned char c = static_cast<unsigned char>(t[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= t.size() && !(len == 2 && c < 0xC2);
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(t[i + k]) & 0xC0) == 0x80;
    if (c == 0) ok = false;
    if (!ok) {
      SourceRange r{file.locAt(i), file.locAt(i)};
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      diags.report(DiagKind::BadCharacter, r,
                   std::string("byte ") + hex + " is not UTF-8 text; is this a model file? (save it as UTF-8)");
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace

std::unique_ptr<Program> parseProgram(std::shared_ptr<SourceFile> file, Diagnostics& diags) {
  if (!checkUtf8(*file, diags)) return nullptr;
  antlr4::ANTLRInputStream input(file->text());
  StanLexer lexer(&input);
  lexer.removeErrorListeners();  // every character lexes (BAD_CHARACTER catches the rest)
  // Keep the lexer's own EOF token: ListTokenSource cannot make one for an empty file.
  std::vector<std::unique_ptr<antlr4::Token>> tokens;
  do tokens.push_back(lexer.nextToken());
  while (tokens.back()->getType() != antlr4::Token::EOF);
  std::set<int> lexicalErrorLines;
  if (!checkLexicalErrors(tokens, diags, lexicalErrorLines)) return nullptr;
  if (!checkBlockOpeners(tokens, diags)) return nullptr;
  if (!checkBrackets(tokens, diags)) return nullptr;

  antlr4::ListTokenSource source(std::move(tokens));
  antlr4::CommonTokenStream stream(&source);
  StanParser parser(&stream);
  parser.removeErrorListeners();
  SyntaxErrorListener listener(diags);
  listener.skipLines_ = lexicalErrorLines;
  parser.addErrorListener(&listener);
  StanParser::ProgramContext* tree = parser.program();
  if (parser.getNumberOfSyntaxErrors() > 0) return nullptr;
  return buildAst(tree, file, diags);
}

}  // namespace mvc
