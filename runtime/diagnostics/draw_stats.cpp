#include "draw_stats.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <numeric>
#include <utility>

namespace mvc::diag {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The positions of x (no NaN, no -0) in ascending order, by a least-significant-digit radix
// sort of the values' bits, a byte at a time. The bits are mapped so that their unsigned order
// is the numeric order: a positive double's bits with the sign bit set, a negative's inverted.
void radix_sort_order(const double* x, std::size_t n, std::vector<std::size_t>& order) {
  struct Item {
    std::uint64_t key;
    std::size_t position;
  };
  if (n == 0) return;
  thread_local std::vector<Item> items, scratch;  // reused: see summarize_variable
  items.resize(n);
  scratch.resize(n);
  std::array<std::array<std::size_t, 256>, 8> count{};
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t bits;
    std::memcpy(&bits, &x[i], sizeof bits);
    const std::uint64_t key = bits >> 63 ? ~bits : bits | (std::uint64_t{1} << 63);
    items[i] = {key, i};
    for (std::size_t b = 0; b < 8; ++b) ++count[b][(key >> (8 * b)) & 0xff];
  }
  for (std::size_t b = 0; b < 8; ++b) {
    const std::size_t shift = 8 * b;
    if (count[b][(items[0].key >> shift) & 0xff] == n) continue;  // every key has this byte
    std::size_t start = 0;
    for (std::size_t& c : count[b]) start += std::exchange(c, start);  // counts -> first slots
    for (const Item& item : items) scratch[count[b][(item.key >> shift) & 0xff]++] = item;
    items.swap(scratch);
  }
  for (std::size_t i = 0; i < n; ++i) order[i] = items[i].position;
}

}  // namespace

ChainsView view(const std::vector<double>& all, std::size_t chains) {
  return {all.data(), chains, chains == 0 ? 0 : all.size() / chains};
}

VariableDraws to_chains(ChainsView draws) {
  VariableDraws out;
  for (std::size_t c = 0; c < draws.chains; ++c) out.emplace_back(draws.chain(c), draws.chain(c) + draws.n);
  return out;
}

double mean(const std::vector<double>& x) { return mean(x.data(), x.size()); }

double mean(const double* x, std::size_t n) {
  if (n == 0) return kNaN;
  return std::accumulate(x, x + n, 0.0) / static_cast<double>(n);
}

double variance(const std::vector<double>& x) { return variance(x.data(), x.size()); }

double variance(const double* x, std::size_t n) {
  if (n < 2) return kNaN;
  const double m = mean(x, n);
  double ss = 0.0;
  for (std::size_t i = 0; i < n; ++i) ss += (x[i] - m) * (x[i] - m);
  return ss / static_cast<double>(n - 1);
}

double stddev(const std::vector<double>& x) { return stddev(x.data(), x.size()); }

double stddev(const double* x, std::size_t n) { return std::sqrt(variance(x, n)); }

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return median_of_sorted(x);
}

double median_of_sorted(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  const std::size_t n = x.size();
  return n % 2 == 1 ? x[n / 2] : 0.5 * (x[n / 2 - 1] + x[n / 2]);
}

double quantile7(std::vector<double> x, double prob) {
  std::sort(x.begin(), x.end());
  return quantile7_of_sorted(x, prob);
}

double quantile7_of_sorted(const std::vector<double>& x, double prob) {
  if (x.empty()) return kNaN;
  // R: index = 1 + (n - 1) p (1-based), lo = floor, hi = ceiling.
  const double index = 1.0 + static_cast<double>(x.size() - 1) * prob;
  const auto lo = static_cast<std::size_t>(std::floor(index));
  const auto hi = static_cast<std::size_t>(std::ceil(index));
  const double qlo = x[lo - 1];
  if (!(index > static_cast<double>(lo)) || x[hi - 1] == qlo) return qlo;
  const double h = index - static_cast<double>(lo);
  return (1.0 - h) * qlo + h * x[hi - 1];
}

std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> rank;
  ranks_from_order(x.data(), order, rank);
  return rank;
}

void ascending_order(const double* x, std::size_t n, std::vector<std::size_t>& order) {
  order.resize(n);
  // Distinct doubles that compare equal are only -0 and 0. Without a -0 the sorted values are
  // unique, and a radix sort (several times faster here) gives them; with one, std::sort on
  // (value, position) pairs moves them exactly as std::sort on the values alone would (its
  // steps depend only on the comparisons), which places the -0s where quantile7's sort does.
  if (std::none_of(x, x + n, [](double v) { return v == 0.0 && std::signbit(v); })) {
    radix_sort_order(x, n, order);
    return;
  }
  thread_local std::vector<std::pair<double, std::size_t>> pairs;  // reused: see summarize_variable
  pairs.resize(n);
  for (std::size_t i = 0; i < n; ++i) pairs[i] = {x[i], i};
  std::sort(pairs.begin(), pairs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < n; ++i) order[i] = pairs[i].second;
}

void ranks_from_order(const double* x, const std::vector<std::size_t>& order, std::vector<double>& rank) {
  rank.resize(order.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    // Positions i..j (0-based) tie: each gets the mean of ranks i+1..j+1.
    const double avg = 0.5 * static_cast<double>(i + j) + 1.0;
    for (std::size_t k = i; k <= j; ++k) rank[order[k]] = avg;
    i = j + 1;
  }
}

void folded_order(const double* x, const std::vector<std::size_t>& order, double center,
                  std::vector<std::size_t>& out) {
  // `above` is the first draw at or above the center; the left run goes down from the one before.
  const auto above = std::partition_point(order.begin(), order.end(), [&](std::size_t k) { return x[k] < center; });
  auto left = std::make_reverse_iterator(above);
  auto right = above;
  out.clear();
  while (left != order.rend() && right != order.end()) {
    if (std::fabs(x[*left] - center) < std::fabs(x[*right] - center)) out.push_back(*left++);
    else out.push_back(*right++);
  }
  out.insert(out.end(), left, order.rend());
  out.insert(out.end(), right, order.end());
}

double na_max(double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::max(a, b); }

double na_min(double a, double b) { return std::isnan(a) || std::isnan(b) ? kNaN : std::min(a, b); }

std::vector<double> pooled(const VariableDraws& chains) {
  std::vector<double> all;
  for (const auto& c : chains) all.insert(all.end(), c.begin(), c.end());
  return all;
}

bool should_return_na(ChainsView draws) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (std::size_t k = 0; k < draws.size(); ++k) {
    const double v = draws.x[k];
    if (!std::isfinite(v)) return true;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  return draws.size() == 0 || std::fabs(hi - lo) < std::numeric_limits<double>::epsilon();
}

bool should_return_na(const VariableDraws& chains) {
  // Only the values matter, not which chain holds them (the chains may even differ in length).
  const std::vector<double> all = pooled(chains);
  return should_return_na(ChainsView{all.data(), 1, all.size()});
}

}  // namespace mvc::diag
