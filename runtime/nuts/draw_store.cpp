#include "draw_store.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mvc::nuts {

DrawStore::DrawStore() : file_(std::tmpfile()) {}

void DrawStore::append(const std::vector<double>& row) {
  if (!error_.empty()) return;
  if (rows_ == 0) cols_ = row.size();
  if (row.size() != cols_) {
    error_ = "a draw has " + std::to_string(row.size()) + " values, the first had " + std::to_string(cols_);
    return;
  }
  if (!file_) {
    memory_.push_back(row);
  } else if (std::fwrite(row.data(), sizeof(double), row.size(), file_.get()) != row.size()) {
    error_ = std::string("cannot keep the draws for the summary: ") + std::strerror(errno);
    return;
  }
  ++rows_;
}

bool DrawStore::read(std::size_t c0, std::size_t c1, std::vector<std::vector<double>>& out, std::string* err) const {
  out.assign(rows_, std::vector<double>(c1 - c0));
  if (!file_) {
    for (std::size_t i = 0; i < rows_; ++i)
      std::copy(memory_[i].begin() + static_cast<std::ptrdiff_t>(c0), memory_[i].begin() + static_cast<std::ptrdiff_t>(c1),
                out[i].begin());
    return true;
  }
  if (std::fflush(file_.get()) != 0) {
    *err = std::string("cannot read back the draws: ") + std::strerror(errno);
    return false;
  }
  const int fd = fileno(file_.get());
  const std::size_t bytes = (c1 - c0) * sizeof(double);
  for (std::size_t i = 0; i < rows_; ++i) {
    const off_t at = static_cast<off_t>((i * cols_ + c0) * sizeof(double));
    char* p = reinterpret_cast<char*>(out[i].data());
    for (std::size_t done = 0; done < bytes;) {
      ssize_t got = ::pread(fd, p + done, bytes - done, at + static_cast<off_t>(done));
      if (got <= 0) {
        *err = std::string("cannot read back the draws: ") + (got == 0 ? "the file is short" : std::strerror(errno));
        return false;
      }
      done += static_cast<std::size_t>(got);
    }
  }
  return true;
}

}  // namespace mvc::nuts
