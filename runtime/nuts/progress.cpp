#include "progress.h"

#include <cstdio>

namespace mvc::nuts {
namespace {

std::string seconds(double s) {
  char buf[32];
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%.1fs", s);
  else
    std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return buf;
}

}  // namespace

Progress::Progress(std::ostream& err, bool is_tty, std::vector<int> chain_ids, int num_warmup,
                   int num_samples, int refresh)
    : err_(err),
      tty_(is_tty),
      ids_(std::move(chain_ids)),
      num_warmup_(num_warmup),
      total_(num_warmup + num_samples),
      refresh_(refresh),
      chains_(ids_.size()) {
  if (tty_ && refresh_ > 0) renderer_ = std::thread([this] { render_loop(); });
}

Progress::~Progress() { finish(); }

std::string Progress::cmdstan_line(std::size_t index, int done) const {
  const int width = static_cast<int>(std::to_string(total_).size());
  const int pct = total_ > 0 ? static_cast<int>(100.0 * done / total_) : 100;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%sIteration: %*d / %d [%3d%%]  (%s)",
                ids_.size() > 1 ? ("Chain [" + std::to_string(ids_[index]) + "] ").c_str() : "",
                width, done, total_, pct, done <= num_warmup_ && num_warmup_ > 0 ? "Warmup" : "Sampling");
  return buf;
}

std::string Progress::status_line(std::size_t index) const {
  const ChainState& c = chains_[index];
  const int done = c.done.load();
  if (!c.started.load()) return "Chain " + std::to_string(ids_[index]) + "  waiting";
  const double done_at = c.seconds_when_done.load();
  const double elapsed =
      done_at >= 0 ? done_at
                   : std::chrono::duration<double>(std::chrono::steady_clock::now() - c.start).count();
  const int pct = total_ > 0 ? static_cast<int>(100.0 * done / total_) : 100;
  std::string eta = done > 0 && done < total_ ? seconds(elapsed / done * (total_ - done)) : "-";
  char buf[200];
  std::snprintf(buf, sizeof buf, "Chain %d  %-8s %*d/%d [%3d%%]  elapsed %s  remaining %s",
                ids_[index], done < num_warmup_ ? "Warmup" : (done < total_ ? "Sampling" : "Done"),
                static_cast<int>(std::to_string(total_).size()), done, total_, pct,
                seconds(elapsed).c_str(), eta.c_str());
  return buf;
}

void Progress::draw_locked() {
  std::string out;
  if (lines_drawn_ > 0) out += "\x1b[" + std::to_string(lines_drawn_) + "A";
  for (std::size_t i = 0; i < chains_.size(); ++i) out += "\r\x1b[2K" + status_line(i) + "\n";
  lines_drawn_ = static_cast<int>(chains_.size());
  err_ << out << std::flush;
}

void Progress::render_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    draw_locked();
    cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; });
  }
  draw_locked();
}

void Progress::update(int index, int done) {
  ChainState& c = chains_[static_cast<std::size_t>(index)];
  if (!c.started.load()) {
    c.start = std::chrono::steady_clock::now();
    c.started.store(true);
  }
  c.done.store(done);
  if (done == total_)
    c.seconds_when_done.store(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - c.start).count());
  if (tty_ || refresh_ <= 0) return;
  if (done == 1 || done % refresh_ == 0 || done == total_) {
    std::lock_guard<std::mutex> lock(mutex_);
    err_ << cmdstan_line(static_cast<std::size_t>(index), done) << "\n" << std::flush;
  }
}

void Progress::message(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (tty_ && lines_drawn_ > 0) {
    // Print above the status block, then redraw it below.
    err_ << "\x1b[" << lines_drawn_ << "A\r\x1b[J" << text << "\n";
    lines_drawn_ = 0;
    if (renderer_.joinable()) draw_locked();
  } else {
    err_ << text << "\n";
  }
  err_ << std::flush;
}

void Progress::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stop_) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (renderer_.joinable()) renderer_.join();
}

}  // namespace mvc::nuts
