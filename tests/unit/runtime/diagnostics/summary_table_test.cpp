#include "summary_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

namespace mvc::diag {
namespace {

TEST(SummaryTable, FormatNumber) {
  EXPECT_EQ(format_number(NAN, 6), "NA");
  EXPECT_EQ(format_number(INFINITY, 6), "Inf");
  EXPECT_EQ(format_number(-INFINITY, 6), "-Inf");
  EXPECT_EQ(format_number(3.14159265, 3), "3.14");
  EXPECT_EQ(format_number(0.000123456, 2), "0.00012");
}

TEST(SummaryTable, AlignsColumnsRight) {
  std::ostringstream out;
  print_table(out, {{"lp__", -7.25, 0.031, 0.77, -9.1, -7.0, -6.8, 502.4, 601.6, 1.0012},
                    {"theta.10", 0.25, NAN, 0.12, 0.079, 0.23, 0.46, NAN, NAN, INFINITY}},
              2);
  EXPECT_EQ(out.str(),
            "          Mean   MCSE  StdDev     5%   50%   95%  ESS_bulk  ESS_tail  R_hat\n"
            "lp__      -7.2  0.031    0.77   -9.1    -7  -6.8       502       602  1.001\n"
            "theta.10  0.25     NA    0.12  0.079  0.23  0.46        NA        NA    Inf\n");
}

TEST(SummaryTable, CsvAtFullPrecision) {
  std::ostringstream out;
  print_table_csv(out, {{"mu", 0.1, 0.01, 1.0, -1.6, 0.0, 1.6, 812.5, NAN, 1.0}});
  EXPECT_EQ(out.str(),
            "variable,mean,mcse,sd,q5,q50,q95,ess_bulk,ess_tail,rhat\n"
            "mu,0.10000000000000001,0.01,1,-1.6000000000000001,0,1.6000000000000001,812.5,NA,1\n");
}

}  // namespace
}  // namespace mvc::diag
