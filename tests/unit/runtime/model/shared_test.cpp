// The hand models as BridgeStan shared libraries, loaded with dlopen as BridgeStan's Python,
// R, Julia and Rust clients load them: every bs_* symbol resolves, nothing else is exported,
// and two model libraries coexist in one process.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace {

struct Lib {
  explicit Lib(const char* path) : handle(dlopen(path, RTLD_NOW | RTLD_LOCAL)) {}
  ~Lib() {
    if (handle) dlclose(handle);
  }
  template <class F>
  F get(const char* name) const {
    return reinterpret_cast<F>(dlsym(handle, name));
  }
  void* handle;
};

using construct_t = void* (*)(const char*, unsigned, char**);
using destruct_t = void (*)(void*);
using free_t = void (*)(char*);
using names_t = const char* (*)(const void*, bool, bool);
using unc_num_t = int (*)(const void*);
using ld_t = int (*)(const void*, bool, bool, const double*, double*, double*, char**);

const char* kApi[] = {"bs_model_construct", "bs_model_destruct", "bs_free_error_msg", "bs_name",
                      "bs_model_info", "bs_param_names", "bs_param_unc_names", "bs_param_num",
                      "bs_param_unc_num", "bs_param_constrain", "bs_param_unconstrain",
                      "bs_param_unconstrain_json", "bs_log_density", "bs_log_density_gradient",
                      "bs_log_density_hessian", "bs_log_density_hessian_vector_product",
                      "bs_rng_construct", "bs_rng_destruct", "bs_set_print_callback",
                      "bs_major_version", "bs_minor_version", "bs_patch_version"};

TEST(SharedLibrary, ExportsTheBridgeStanApiAndNothingElse) {
  for (const char* path : {MVC_LIB_EIGHT_SCHOOLS, MVC_LIB_GROUPS}) {
    Lib lib(path);
    ASSERT_NE(lib.handle, nullptr) << dlerror();
    for (const char* sym : kApi) EXPECT_NE(dlsym(lib.handle, sym), nullptr) << path << ": " << sym;
    for (const char* sym : {"mvc_gen_construct", "mvc_rt_data", "mvc_tf_lb_constrain"})
      EXPECT_EQ(dlsym(lib.handle, sym), nullptr) << path << " exports " << sym;
    EXPECT_EQ(*lib.get<const int*>("bs_major_version"), 2);
  }
}

TEST(SharedLibrary, TwoModelsInOneProcess) {
  Lib es(MVC_LIB_EIGHT_SCHOOLS), gr(MVC_LIB_GROUPS);
  ASSERT_NE(es.handle, nullptr);
  ASSERT_NE(gr.handle, nullptr);
  char* err = nullptr;
  void* m1 = es.get<construct_t>("bs_model_construct")(MVC_SOURCE_DIR "/models/eight_schools_noncentered.data.json", 1, &err);
  ASSERT_NE(m1, nullptr) << err;
  void* m2 = gr.get<construct_t>("bs_model_construct")(
      R"({"K": 2, "G": 1, "Sigma": [[[1, 0], [0, 1]]], "y": [[0, 0]]})", 1, &err);
  ASSERT_NE(m2, nullptr) << err;
  EXPECT_STREQ(es.get<const char* (*)(const void*)>("bs_name")(m1), "eight_schools_noncentered");
  EXPECT_STREQ(gr.get<const char* (*)(const void*)>("bs_name")(m2), "groups");
  EXPECT_EQ(es.get<unc_num_t>("bs_param_unc_num")(m1), 10);
  EXPECT_EQ(gr.get<unc_num_t>("bs_param_unc_num")(m2), 3);
  std::vector<double> x(10, 0.1), g(10);
  double lp = 0;
  EXPECT_EQ(es.get<ld_t>("bs_log_density_gradient")(m1, true, true, x.data(), &lp, g.data(), &err), 0);
  EXPECT_TRUE(std::isfinite(lp));
  const double y[3] = {0, 0, 0};
  EXPECT_EQ(gr.get<ld_t>("bs_log_density_gradient")(m2, true, false, y, &lp, g.data(), &err), 0);
  EXPECT_EQ(lp, 0);  // mu = y
  // errors come back as BridgeStan does: -1 and a message freed by bs_free_error_msg
  EXPECT_EQ(es.get<construct_t>("bs_model_construct")("{}", 1, &err), nullptr);
  EXPECT_STREQ(err, "variable 'J' is missing from the data");
  es.get<free_t>("bs_free_error_msg")(err);
  es.get<destruct_t>("bs_model_destruct")(m1);
  gr.get<destruct_t>("bs_model_destruct")(m2);
}

}  // namespace
