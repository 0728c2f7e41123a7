// Parser and checker fuzzing by corpus mutation (built with ASan + UBSan; see CMakeLists.txt).
// Every valid corpus program is mutated many times -- characters and tokens deleted, duplicated,
// inserted, spliced from other programs -- and run through parse + check + render. The
// frontend must never crash, hang, trip a sanitizer, or raise an internal error: every input
// either checks (and then lowers and passes the IR verifier after every pass) or gets
// diagnostics. Deterministic (fixed seed); MVC_FUZZ_ITERATIONS sets the
// number of mutants (default 20000) for a longer run by hand.
#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

#include "frontend/parse.h"
#include "frontend/sema.h"
#include "lower/lower.h"
#include "passes/pipeline.h"

namespace fs = std::filesystem;
namespace {

std::string g_current;  // the input under test, written out if it hangs

void onAlarm(int) {
  std::ofstream("fuzz_hang_input.model") << g_current;
  const char msg[] = "parser_fuzz: an input took more than 10 s (saved to fuzz_hang_input.model)\n";
  ssize_t ignored = write(2, msg, sizeof msg - 1);
  (void)ignored;
  std::abort();
}

const char* const kFragments[] = {";", "{", "}", "(", ")", "[", "]", "~", "=", "<", ">", ",", "|", ":", "?", "'",
                                  "\"", "/*", "*/", "//", "#include \"x\"", "#", "@", "$", "<-", "+=", ".*", "./",
                                  "%/%", "\\", "^", "!", "&&", "||", "T[", "1e", "1.5e-3", ".5", "99999999999",
                                  "real", "int", "vector", "matrix", "array", "[,]", "cov_matrix", "simplex",
                                  "lower=", "<lower=0>", "for", "in", "while", "if", "else", "return", "break",
                                  "target", "target +=", "model", "data", "parameters", "transformed", "functions",
                                  "generated quantities", "normal", "normal_lpdf(", "_rng(", "print(", "reject(",
                                  "x", "y", "N", "0", "1", "\n", " ", "\t", "\xC3\xA9", "\xFF", "\xC3", "\xE2\x82", "\x80"};

std::string mutate(const std::string& src, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  std::string s = src;
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    size_t n = s.size();
    size_t pos = n ? rng() % n : 0;
    size_t len = 1 + rng() % 12;
    switch (rng() % 6) {
      case 0: s.erase(pos, len); break;
      case 1: s.insert(pos, s.substr(rng() % (n + 1), len)); break;
      case 2: s.insert(pos, kFragments[rng() % (sizeof kFragments / sizeof *kFragments)]); break;
      case 3: {
        const std::string& other = corpus[rng() % corpus.size()];
        size_t from = other.empty() ? 0 : rng() % other.size();
        s.insert(pos, other.substr(from, 1 + rng() % 80));
        break;
      }
      case 4: s.resize(pos); break;
      default:
        if (n) s[pos] = static_cast<char>(rng() % 256);  // any byte, invalid UTF-8 and NUL included
        break;
    }
  }
  return s;
}

TEST(ParserFuzz, MutatedCorpusNeverCrashes) {
  std::vector<std::string> corpus;
  for (const char* dir : {"valid", "old_syntax", "invalid"}) {
    fs::path d = fs::path(MVC_TESTS_DIR) / "corpus" / dir;
    if (!fs::exists(d)) continue;
    for (const auto& e : fs::directory_iterator(d)) {
      std::ifstream in(e.path());
      std::stringstream ss;
      ss << in.rdbuf();
      corpus.push_back(ss.str());
    }
  }
  ASSERT_FALSE(corpus.empty());
  int iterations = 20000;
  if (const char* env = std::getenv("MVC_FUZZ_ITERATIONS")) iterations = std::atoi(env);
  std::signal(SIGALRM, onAlarm);
  std::mt19937_64 rng(20261122);
  int rejected = 0;
  for (int i = 0; i < iterations; ++i) {
    g_current = mutate(corpus[rng() % corpus.size()], corpus, rng);
    alarm(10);
    auto file = std::make_shared<mvc::SourceFile>("fuzz.model", g_current);
    mvc::Diagnostics diags(file);
    try {
      auto program = mvc::parseProgram(file, diags);
      if (program && mvc::checkProgram(*program, diags)) {
        auto module = mvc::lowerProgram(*program, "fuzz");
        mvc::passes::runPipeline(*module, mvc::passes::PipelineOptions{});  // verifies after each pass
      }
      std::string rendered = diags.renderToString();
      if (!program) {
        ASSERT_TRUE(diags.hasErrors()) << "parse failed without a diagnostic for:\n" << g_current;
      }
      if (diags.hasErrors()) ++rejected;
    } catch (const std::exception& e) {
      alarm(0);
      FAIL() << "exception '" << e.what() << "' for input:\n" << g_current;
    } catch (...) {
      alarm(0);
      FAIL() << "unknown exception for input:\n" << g_current;
    }
    alarm(0);
  }
  // Most mutants are broken programs; if none were rejected the mutator is not working.
  EXPECT_GT(rejected, iterations / 4);
}

}  // namespace
