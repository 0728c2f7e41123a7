"""Data for models/mvn_param_cov.model (the W2 workload of ../shared/bench-stan, small).

K groups, each with its own correlation matrix Omega[k] ~ LKJ(2) and scales
tau[k] = exp(N(0, 0.5)); shared mean mu; q = 3; N observations with random group ids:
y[n] ~ multi_normal_cholesky(mu, diag_pre_multiply(tau[gid[n]], L[gid[n]])).
Writes models/mvn_param_cov.data.json and models/mvn_param_cov.truth.json.

Usage: python3 models/gen/mvn_param_cov.py
"""
import math
import random

import simlib as S

SEED = 20240502
N, Q, K = 120, 3, 4
MU = [1.0, -0.5, 2.0]
ETA = 2.0


def main():
    rng = random.Random(SEED)
    gid = [1 + (n % K) for n in range(N)]      # balanced, then shuffled
    rng.shuffle(gid)
    tau = [[math.exp(rng.gauss(0.0, 0.5)) for _ in range(Q)] for _ in range(K)]
    Omega = [S.lkj_corr(rng, Q, ETA) for _ in range(K)]
    L = [S.cholesky(O) for O in Omega]
    y = []
    for n in range(N):
        k = gid[n] - 1
        Lfull = S.matmul(S.diag(tau[k]), L[k])  # diag_pre_multiply(tau, L)
        y.append(S.mvn_draw(rng, MU, Lfull))
    S.write_json({"N": N, "q": Q, "K": K, "gid": gid, "y": S.rnd(y)},
                 "mvn_param_cov.data.json")
    S.write_json({"kind": "simulation truth", "seed": SEED, "mu": MU, "tau": S.rnd(tau),
                  "L": S.rnd(L), "Omega": S.rnd(Omega)},
                 "mvn_param_cov.truth.json")


if __name__ == "__main__":
    main()
