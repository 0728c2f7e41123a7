"""Benchmark data for bench/mvn: the models/gen generators at any N and q.

models/gen/mvn_latent_loop.py and models/gen/mvn_param_cov.py write the small example data
files with fixed sizes; this script uses the same construction (and models/gen/simlib.py)
with the sizes as arguments, and writes CmdStan JSON to a directory of your choice.

  python3 bench/mvn/gen_data.py latent   --N 2000 --q 4 -o DIR   # DIR/latent_q4_N2000.json
  python3 bench/mvn/gen_data.py paramcov --N 2000 --q 3 --K 50 -o DIR
                                                        # DIR/paramcov_q3_K50_N2000.json

latent: mu[n] ~ N(0, 2^2 I); Sigma[n] = s2 * O' diag(3, U(0.3,3)..., 0.3) O (condition
number 10, O random orthogonal, s2 = exp(U(-0.5,0.5))^2), as W1 / mvn_latent_loop.py.
paramcov: K groups with Omega[k] ~ LKJ(2), tau[k] = exp(N(0, 0.5)), mu = (1, -0.5, 2, 0...),
balanced shuffled group ids, as W2 / mvn_param_cov.py.
Python 3 standard library only; the seed is fixed per (kind, N, q, K) so files are
reproducible. An existing file is kept unless --force.
"""
import argparse
import json
import math
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in models/gen
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "models", "gen"))
import simlib as S  # noqa: E402

SEED_LATENT = 20240501
SEED_PARAMCOV = 20240502


def write(obj, path):
    items = ["  %s: %s" % (json.dumps(k), json.dumps(v, separators=(",", ":")))
             for k, v in obj.items()]
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("{\n" + ",\n".join(items) + "\n}\n")
    os.replace(tmp, path)


def latent(N, q):
    if q < 2:
        raise SystemExit("latent: q must be at least 2")
    rng = random.Random(SEED_LATENT * 1000003 + N * 17 + q)
    mu = [[rng.gauss(0.0, 2.0) for _ in range(q)] for _ in range(N)]
    Sigma = []
    for _ in range(N):
        O = S.random_orthogonal(rng, q)
        lam = [3.0] + [rng.uniform(0.3, 3.0) for _ in range(q - 2)] + [0.3]
        s2 = math.exp(rng.uniform(-0.5, 0.5)) ** 2
        # O' diag(lam) O, written out (faster than two general matmuls)
        M = [[s2 * sum(O[k][i] * lam[k] * O[k][j] for k in range(q)) for j in range(q)]
             for i in range(q)]
        Sg = S.symmetric_round(M)
        S.cholesky(Sg)  # still positive definite after rounding
        Sigma.append(Sg)
    return {"N": N, "q": q, "mu": S.rnd(mu), "Sigma": Sigma}


def paramcov(N, q, K):
    rng = random.Random(SEED_PARAMCOV * 1000003 + N * 17 + q * 7 + K)
    mu = ([1.0, -0.5, 2.0] + [0.0] * q)[:q]
    gid = [1 + (n % K) for n in range(N)]
    rng.shuffle(gid)
    tau = [[math.exp(rng.gauss(0.0, 0.5)) for _ in range(q)] for _ in range(K)]
    L = [S.cholesky(S.lkj_corr(rng, q, 2.0)) for _ in range(K)]
    y = []
    for n in range(N):
        k = gid[n] - 1
        Lfull = S.matmul(S.diag(tau[k]), L[k])
        y.append(S.mvn_draw(rng, mu, Lfull))
    return {"N": N, "q": q, "K": K, "gid": gid, "y": S.rnd(y)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kind", choices=["latent", "paramcov"])
    ap.add_argument("--N", type=int, required=True)
    ap.add_argument("--q", type=int, default=4)
    ap.add_argument("--K", type=int, default=50)
    ap.add_argument("-o", "--outdir", default=".")
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    if a.kind == "latent":
        path = os.path.join(a.outdir, "latent_q%d_N%d.json" % (a.q, a.N))
    else:
        path = os.path.join(a.outdir, "paramcov_q%d_K%d_N%d.json" % (a.q, a.K, a.N))
    if os.path.exists(path) and not a.force:
        print(path)
        return
    data = latent(a.N, a.q) if a.kind == "latent" else paramcov(a.N, a.q, a.K)
    write(data, path)
    print(path)


if __name__ == "__main__":
    main()
