#include "model.h"

namespace mvc::nuts {
namespace {

// Takes ownership of a BridgeStan error message.
std::string take_message(char* err, const char* fallback) {
  if (!err) return fallback;
  std::string m = err;
  bs_free_error_msg(err);
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

std::vector<std::string> split_names(const char* csv) {
  std::vector<std::string> out;
  if (!csv || !*csv) return out;
  std::string cur;
  for (const char* p = csv; *p; ++p) {
    if (*p == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += *p;
    }
  }
  out.push_back(cur);
  return out;
}

GqRng::GqRng(unsigned int seed) {
  char* err = nullptr;
  rng_ = bs_rng_construct(seed, &err);
  if (!rng_) throw ModelError(take_message(err, "bs_rng_construct failed"));
}

GqRng::~GqRng() { bs_rng_destruct(rng_); }

Model::Model(const std::string& data, unsigned int seed) {
  char* err = nullptr;
  model_ = bs_model_construct(data.c_str(), seed, &err);
  if (!model_) throw ModelError(take_message(err, "model construction failed"));
  dim_ = bs_param_unc_num(model_);
  num_params_ = bs_param_num(model_, false, false);
  names_ = split_names(bs_param_names(model_, true, true));
}

Model::~Model() { bs_model_destruct(model_); }

std::string Model::name() const { return bs_name(model_); }
std::string Model::info() const { return bs_model_info(model_); }

bool Model::log_density_gradient(const double* q, double& lp, double* grad,
                                 std::string* message) const {
  char* err = nullptr;
  const int rc = bs_log_density_gradient(model_, true, true, q, &lp, grad,
                                         message ? &err : nullptr);
  if (rc == 0) return true;
  if (message) *message = take_message(err, "log density evaluation failed");
  return false;
}

bool Model::constrain(const double* q, double* out, GqRng& rng, std::string* message) const {
  char* err = nullptr;
  if (bs_param_constrain(model_, true, true, q, out, rng.get(), &err) == 0) return true;
  const std::string m = take_message(err, "bs_param_constrain failed");
  if (message) *message = m;
  return false;
}

bool Model::constrain_params(const double* q, double* out, std::string* message) const {
  char* err = nullptr;
  if (bs_param_constrain(model_, false, false, q, out, nullptr, &err) == 0) return true;
  const std::string m = take_message(err, "bs_param_constrain failed");
  if (message) *message = m;
  return false;
}

std::vector<double> Model::unconstrain_json(const std::string& json) const {
  std::vector<double> q(static_cast<std::size_t>(dim_));
  char* err = nullptr;
  if (bs_param_unconstrain_json(model_, json.c_str(), q.data(), &err) != 0)
    throw ModelError(take_message(err, "bs_param_unconstrain_json failed"));
  return q;
}

}  // namespace mvc::nuts
