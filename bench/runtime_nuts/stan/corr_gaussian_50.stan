// Stan twin of tests/unit/runtime/nuts/models/model_corr_gaussian.cpp:
// Sigma[i, j] = s_i s_j 0.9^|i - j|, s_i = 0.5 + (i - 1) / 25.
transformed data {
  int K = 50;
  matrix[K, K] P;
  {
    matrix[K, K] Sigma;
    for (i in 1:K)
      for (j in 1:K)
        Sigma[i, j] = (0.5 + (i - 1) / 25.0) * (0.5 + (j - 1) / 25.0) * 0.9 ^ abs(i - j);
    P = inverse_spd(Sigma);
  }
}
parameters {
  vector[K] x;
}
model {
  x ~ multi_normal_prec(rep_vector(0, K), P);
}
