"""Tiny linear-algebra and sampling helpers for the data generators in models/gen.

Python 3 standard library only (no numpy). Matrices are lists of rows.
Every generator seeds its own random.Random, so the data files are reproducible.
"""
import json
import math
import os

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.dirname(HERE)


def zeros(r, c):
    return [[0.0] * c for _ in range(r)]


def identity(q):
    m = zeros(q, q)
    for i in range(q):
        m[i][i] = 1.0
    return m


def transpose(a):
    return [list(col) for col in zip(*a)]


def matmul(a, b):
    bt = transpose(b)
    return [[sum(x * y for x, y in zip(row, col)) for col in bt] for row in a]


def matvec(a, v):
    return [sum(x * y for x, y in zip(row, v)) for row in a]


def diag(v):
    m = zeros(len(v), len(v))
    for i, x in enumerate(v):
        m[i][i] = x
    return m


def cholesky(a):
    """Lower-triangular L with L L' = a (a symmetric positive definite)."""
    n = len(a)
    L = zeros(n, n)
    for j in range(n):
        s = a[j][j] - sum(L[j][k] ** 2 for k in range(j))
        if s <= 0.0:
            raise ValueError("matrix not positive definite")
        L[j][j] = math.sqrt(s)
        for i in range(j + 1, n):
            L[i][j] = (a[i][j] - sum(L[i][k] * L[j][k] for k in range(j))) / L[j][j]
    return L


def std_normal_vec(rng, q):
    return [rng.gauss(0.0, 1.0) for _ in range(q)]


def random_orthogonal(rng, q):
    """Gram-Schmidt on a Gaussian matrix: a random orthogonal q x q matrix (rows)."""
    rows = []
    while len(rows) < q:
        v = std_normal_vec(rng, q)
        for r in rows:
            d = sum(x * y for x, y in zip(v, r))
            v = [x - d * y for x, y in zip(v, r)]
        nrm = math.sqrt(sum(x * x for x in v))
        if nrm > 1e-8:
            rows.append([x / nrm for x in v])
    return rows


def lkj_corr(rng, q, eta):
    """Correlation matrix from LKJ(eta), for 2*eta integer: a Wishart(nu, I) draw with
    nu = 2*eta + q - 1 degrees of freedom, scaled to unit diagonal (its density is
    proportional to det(R)^(eta - 1))."""
    nu = int(round(2 * eta + q - 1))
    W = zeros(q, q)
    for _ in range(nu):
        z = std_normal_vec(rng, q)
        for i in range(q):
            for j in range(q):
                W[i][j] += z[i] * z[j]
    d = [math.sqrt(W[i][i]) for i in range(q)]
    R = [[W[i][j] / (d[i] * d[j]) for j in range(q)] for i in range(q)]
    for i in range(q):
        R[i][i] = 1.0
    return symmetric_round(R)


def symmetric_round(a, digits=10):
    """Round to `digits` decimals and mirror the lower triangle, so that the matrix is
    exactly symmetric as written to JSON (Stan checks cov_matrix/corr_matrix data)."""
    q = len(a)
    m = zeros(q, q)
    for i in range(q):
        for j in range(i + 1):
            m[i][j] = m[j][i] = round(a[i][j], digits)
    return m


def mvn_draw(rng, mu, L):
    """mu + L z with z ~ N(0, I)."""
    z = std_normal_vec(rng, len(mu))
    return [m + s for m, s in zip(mu, matvec(L, z))]


def rnd(x, digits=6):
    """Round numbers inside nested lists for compact, readable JSON."""
    if isinstance(x, list):
        return [rnd(v, digits) for v in x]
    if isinstance(x, float):
        return round(x, digits)
    return x


def write_json(obj, name):
    path = os.path.join(MODELS, name)
    items = ["  %s: %s" % (json.dumps(k), json.dumps(v, separators=(",", ":")))
             for k, v in obj.items()]
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(items) + "\n}\n")
    print("wrote", os.path.relpath(path))
