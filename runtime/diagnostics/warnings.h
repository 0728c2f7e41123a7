// The warning rules: every threshold and every piece of advice the summary prints, in one
// table (kWarningRules in warnings.cpp, listed in docs/diagnostics.md). To add a rule: add an
// id, a row in the table, and its check in collect_warnings.
#pragma once

#include <string>
#include <vector>

#include "sampler_diagnostics.h"
#include "summary_row.h"

namespace mvc::diag {

enum class RuleId { kDivergences, kTreedepth, kEbfmi, kRhat, kEssBulk, kEssTail };

struct WarningRule {
  RuleId id;
  const char* name;
  // A rule fires when the statistic crosses `threshold` (see `trigger` for the direction);
  // the ESS rules multiply it by the number of chains.
  double threshold;
  const char* trigger;
  const char* advice;  // what a person can do about it
};

const std::vector<WarningRule>& warning_rules();
const WarningRule& warning_rule(RuleId id);

// One message per rule that fires, in table order; empty when nothing is wrong.
std::vector<std::string> collect_warnings(const std::vector<SamplerChainStats>& chains,
                                          const std::vector<SummaryRow>& rows, int max_treedepth);

}  // namespace mvc::diag
