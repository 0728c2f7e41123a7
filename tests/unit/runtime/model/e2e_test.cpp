// End to end: the hand-written eight-schools model linked into a sampler program
// (model object + mvc_sampler_main + mvc_sampler + mvc_model), run through its command line.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  int column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    return -1;
  }
  double mean(const std::string& name) const {
    const int c = column(name);
    double s = 0;
    for (const auto& r : rows) s += r[static_cast<size_t>(c)];
    return s / static_cast<double>(rows.size());
  }
};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string cell;
  while (std::getline(in, cell, ',')) out.push_back(cell);
  return out;
}

Csv read_csv(const std::string& path) {
  Csv csv;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (csv.header.empty()) {
      csv.header = split(line);
      continue;
    }
    std::vector<double> row;
    for (const auto& c : split(line)) row.push_back(std::strtod(c.c_str(), nullptr));
    csv.rows.push_back(row);
  }
  return csv;
}

TEST(EndToEnd, EightSchoolsSamples) {
  const std::string dir = ::testing::TempDir();
  const std::string out = dir + "/mvc_model_e2e_eight_schools.csv";
  const std::string cmd = std::string(MVC_PROGRAM_EIGHT_SCHOOLS) +
                          " sample num_chains=2 data file=" MVC_SOURCE_DIR
                          "/models/eight_schools_noncentered.data.json output file=" + out +
                          " refresh=0 random seed=11 > " + dir + "/mvc_model_e2e.log 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::vector<double> mu_means;
  for (int chain = 1; chain <= 2; ++chain) {
    const std::string path = dir + "/mvc_model_e2e_eight_schools_" + std::to_string(chain) + ".csv";
    const Csv csv = read_csv(path);
    ASSERT_EQ(csv.rows.size(), 1000u) << path;
    std::vector<std::string> want = {"lp__", "accept_stat__", "stepsize__", "treedepth__",
                                     "n_leapfrog__", "divergent__", "energy__", "mu", "tau"};
    for (int j = 1; j <= 8; ++j) want.push_back("theta_tilde." + std::to_string(j));
    for (int j = 1; j <= 8; ++j) want.push_back("theta." + std::to_string(j));
    for (int j = 1; j <= 8; ++j) want.push_back("y_rep." + std::to_string(j));
    EXPECT_EQ(csv.header, want);
    // posterior: mu about 4.4 (sd 3.3), tau positive with mean about 3.6
    EXPECT_NEAR(csv.mean("mu"), 4.4, 1.2) << path;
    EXPECT_GT(csv.mean("tau"), 1.5);
    EXPECT_LT(csv.mean("tau"), 6.5);
    for (const auto& r : csv.rows) EXPECT_GT(r[static_cast<size_t>(csv.column("tau"))], 0);
    // theta = mu + tau * theta_tilde in every draw (to the CSV's 6 significant digits)
    const auto& r = csv.rows.front();
    const double mu = r[7], tau = r[8];
    EXPECT_NEAR(r[17], mu + tau * r[9], 1e-4 * (1 + std::fabs(r[17])));
    mu_means.push_back(csv.mean("mu"));
  }
}

}  // namespace
