// Stan twin of tests/unit/runtime/nuts/models/model_banana.cpp.
parameters {
  real a;
  real b;
}
model {
  a ~ normal(0, 1);
  b ~ normal(a^2, 1);
}
