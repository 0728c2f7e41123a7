"""Data for models/mvn_latent_loop.model and models/mvn_latent_batched.model.

x[n] ~ multi_normal(mu[n], Sigma[n]) with data mu and Sigma (the W1 workload of
../shared/bench-stan/gen_data.R, small): N = 20, q = 4. Sigma[n] is a random SPD matrix
with eigenvalues {3, U(0.3, 3), U(0.3, 3), 0.3} (condition number 10), rotated by a random
orthogonal matrix, times a per-n scale exp(U(-0.5, 0.5))^2. The posterior is known exactly:
x[n] ~ N(mu[n], Sigma[n]); models/mvn_latent.truth.json holds its means and sds.

Usage: python3 models/gen/mvn_latent_loop.py   (writes both data files; fixed seed)
"""
import math
import random

import simlib as S

SEED = 20240501
N, Q = 20, 4


def generate():
    rng = random.Random(SEED)
    mu = [[rng.gauss(0.0, 2.0) for _ in range(Q)] for _ in range(N)]
    Sigma = []
    for _ in range(N):
        O = S.random_orthogonal(rng, Q)          # rows orthonormal
        lam = [3.0] + [rng.uniform(0.3, 3.0) for _ in range(Q - 2)] + [0.3]
        s2 = math.exp(rng.uniform(-0.5, 0.5)) ** 2
        M = S.matmul(S.matmul(S.transpose(O), S.diag(lam)), O)
        Sigma.append(S.symmetric_round([[s2 * v for v in row] for row in M]))
    for Sg in Sigma:
        S.cholesky(Sg)                           # still positive definite after rounding
    mu = S.rnd(mu)
    data = {"N": N, "q": Q, "mu": mu, "Sigma": Sigma}
    truth = {
        "kind": "exact posterior: x[n] ~ N(mu[n], Sigma[n])",
        "seed": SEED,
        "x_mean": mu,
        "x_sd": S.rnd([[math.sqrt(Sg[i][i]) for i in range(Q)] for Sg in Sigma]),
    }
    return data, truth


def main():
    data, truth = generate()
    S.write_json(data, "mvn_latent_loop.data.json")
    S.write_json(data, "mvn_latent_batched.data.json")
    S.write_json(truth, "mvn_latent.truth.json")


if __name__ == "__main__":
    main()
