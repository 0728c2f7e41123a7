"""Data for models/mvn_llt.model.

N units, each with its own mean mu[n] and covariance Sigma[n] = L[n] * L[n]' (L[n] lower
triangular with positive diagonal), M observations per unit, q = 3:
y[n, m] ~ multi_normal(mu[n], L[n] * L[n]').
Writes models/mvn_llt.data.json and models/mvn_llt.truth.json.

Usage: python3 models/gen/mvn_llt.py
"""
import math
import random

import simlib as S

SEED = 20240503
N, M, Q = 6, 25, 3


def main():
    rng = random.Random(SEED)
    mu, L, Sigma, y = [], [], [], []
    for _ in range(N):
        m = [rng.gauss(0.0, 2.0) for _ in range(Q)]
        Ln = S.zeros(Q, Q)
        for i in range(Q):
            Ln[i][i] = math.exp(rng.gauss(0.0, 0.3))
            for j in range(i):
                Ln[i][j] = rng.gauss(0.0, 0.5)
        mu.append(m)
        L.append(Ln)
        Sigma.append(S.matmul(Ln, S.transpose(Ln)))
        y.append([S.mvn_draw(rng, m, Ln) for _ in range(M)])
    S.write_json({"N": N, "M": M, "q": Q, "y": S.rnd(y)}, "mvn_llt.data.json")
    S.write_json({"kind": "simulation truth", "seed": SEED, "mu": S.rnd(mu), "L": S.rnd(L),
                  "Sigma": S.rnd(Sigma)}, "mvn_llt.truth.json")


if __name__ == "__main__":
    main()
