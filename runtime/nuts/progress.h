// Progress on stderr, per chain: iteration, warmup or sampling, elapsed, remaining.
//
// On a terminal: one status line per chain, redrawn in place by a background thread at most
// 4 times a second (refresh=0 turns it off). Otherwise: CmdStan's lines, every `refresh`
// iterations plus the first and the last, e.g.
//   Chain [1] Iteration:  100 / 2000 [  5%]  (Warmup)
// (without the "Chain [k] " prefix when there is one chain). All stderr output of the
// sampler goes through message() so that it never tears the status lines.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace mvc::nuts {

class Progress {
 public:
  Progress(std::ostream& err, bool is_tty, std::vector<int> chain_ids, int num_warmup,
           int num_samples, int refresh);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Chain `index` (0-based position) has finished `done` iterations (warmup included).
  void update(int index, int done);
  // Prints a message (newline added) without disturbing the status lines.
  void message(const std::string& text);
  // Final redraw; stops the background thread.
  void finish();

 private:
  struct ChainState {
    std::atomic<int> done{0};
    std::atomic<bool> started{false};
    std::chrono::steady_clock::time_point start;
    std::atomic<double> seconds_when_done{-1};  // frozen elapsed time once finished
  };
  std::string status_line(std::size_t index) const;
  std::string cmdstan_line(std::size_t index, int done) const;
  void draw_locked();
  void render_loop();

  std::ostream& err_;
  bool tty_;
  std::vector<int> ids_;
  int num_warmup_, total_, refresh_;
  std::vector<ChainState> chains_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  int lines_drawn_ = 0;
  std::thread renderer_;
};

}  // namespace mvc::nuts
