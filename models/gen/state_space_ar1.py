"""Data for models/state_space_ar1.model.

A latent AR(1) process x (x[1] = s z[1], x[t] = phi x[t-1] + s z[t], z standard normal)
observed with noise: y[t] ~ normal(x[t], tau); T = 30, phi = 0.8, s = 0.5, tau = 0.7.
Writes models/state_space_ar1.data.json and models/state_space_ar1.truth.json (the simulated x).

Usage: python3 models/gen/state_space_ar1.py
"""
import random

import simlib as S

SEED = 20261204
T, PHI, SD, TAU = 30, 0.8, 0.5, 0.7


def main():
    rng = random.Random(SEED)
    x = []
    for t in range(T):
        innovation = SD * rng.gauss(0.0, 1.0)
        x.append(innovation if t == 0 else PHI * x[-1] + innovation)
    y = [xt + TAU * rng.gauss(0.0, 1.0) for xt in x]
    S.write_json({"T": T, "y": S.rnd(y), "phi": PHI, "s": SD, "tau": TAU}, "state_space_ar1.data.json")
    S.write_json({"kind": "simulation truth", "seed": SEED, "x": S.rnd(x)}, "state_space_ar1.truth.json")


if __name__ == "__main__":
    main()
