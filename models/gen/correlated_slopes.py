"""Data for models/correlated_slopes.model (the W3 workload of ../shared/bench-stan, small).

J groups x n_per observations, P = 3 correlated predictors
X[n] ~ MVN(mu_x, diag(sigma_x) Omega_x diag(sigma_x)); group intercept and slopes
b[j] ~ MVN(0, diag(tau) Omega diag(tau)) (K = P + 1); y[n] = X1[n] (beta + b[g[n]]) + N(0, sigma),
where X1[n] = [1, X[n]]. The true values are recorded here and in
models/correlated_slopes.truth.json, so a fit can be checked for recovering them.

Usage: python3 models/gen/correlated_slopes.py
"""
import random

import simlib as S

SEED = 20240504
J, N_PER, P = 8, 25, 3
K = P + 1
N = J * N_PER

# true parameter values (the same as the W3 workload)
MU_X = [0.0, 1.0, -1.0]
SIGMA_X = [1.0, 0.5, 2.0]
OMEGA_X = [[1.0, 0.5, -0.3],
           [0.5, 1.0, 0.2],
           [-0.3, 0.2, 1.0]]
BETA = [1.0, 0.5, -1.0, 0.25]
TAU = [1.0, 0.5, 0.8, 0.3]
OMEGA = [[1.0, 0.6, -0.4, 0.2],
         [0.6, 1.0, -0.3, 0.1],
         [-0.4, -0.3, 1.0, 0.25],
         [0.2, 0.1, 0.25, 1.0]]
SIGMA = 1.0


def main():
    rng = random.Random(SEED)
    g = [1 + n // N_PER for n in range(N)]
    Lx = S.matmul(S.diag(SIGMA_X), S.cholesky(OMEGA_X))
    X = [S.mvn_draw(rng, MU_X, Lx) for _ in range(N)]
    Lb = S.matmul(S.diag(TAU), S.cholesky(OMEGA))
    b = [S.mvn_draw(rng, [0.0] * K, Lb) for _ in range(J)]
    y = []
    for n in range(N):
        x1 = [1.0] + X[n]
        coef = [BETA[k] + b[g[n] - 1][k] for k in range(K)]
        y.append(sum(a * c for a, c in zip(x1, coef)) + rng.gauss(0.0, SIGMA))
    S.write_json({"N": N, "J": J, "P": P, "g": g, "X": S.rnd(X), "y": S.rnd(y)},
                 "correlated_slopes.data.json")
    S.write_json({"kind": "simulation truth", "seed": SEED,
                  "beta": BETA, "tau": TAU, "Omega": OMEGA, "L": S.rnd(S.cholesky(OMEGA)),
                  "b": S.rnd(b), "sigma": SIGMA,
                  "mu_x": MU_X, "sigma_x": SIGMA_X, "Omega_x": OMEGA_X,
                  "L_x": S.rnd(S.cholesky(OMEGA_X))},
                 "correlated_slopes.truth.json")


if __name__ == "__main__":
    main()
