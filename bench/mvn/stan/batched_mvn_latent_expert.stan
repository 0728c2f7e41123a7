// W1, as a Stan expert writes it (rstan 2.21 / old array syntax): the data covariances'
// Cholesky factors computed once in transformed data, multi_normal_cholesky in the loop.
// For ../shared/bench-stan's harness (bench.R), next to its batched_mvn_latent.stan; the same
// data files. Not run here (no R on these machines); bench/RESULTS.md reports its column as
// not measured until a figure exists.
data {
  int<lower=1> N;
  int<lower=1> q;
  vector[q] mu[N];
  cov_matrix[q] Sigma[N];
}
transformed data {
  matrix[q, q] L[N];
  for (n in 1:N)
    L[n] = cholesky_decompose(Sigma[n]);
}
parameters {
  vector[q] x[N];
}
model {
  for (n in 1:N)
    x[n] ~ multi_normal_cholesky(mu[n], L[n]);
}
