"""Minimum-cost assignment (Hungarian algorithm, O(n²m)) for small tracker cost matrices."""
from __future__ import annotations

import math
from typing import Sequence


def hungarian(cost: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs (row, col) minimising the total cost; every row of a rows ≤ cols matrix is assigned.

    Works on rectangular matrices either way round (the smaller side is fully assigned).
    Entries may be `math.inf` for forbidden pairs; such pairs are dropped from the result.
    """
    n = len(cost)
    if n == 0:
        return []
    m = len(cost[0])
    if m == 0:
        return []
    if n > m:
        return [(r, c) for c, r in hungarian([[cost[r][c] for r in range(n)] for c in range(m)])]
    big = 1e9
    a = [[big if math.isinf(v) else float(v) for v in row] for row in cost]
    # potentials u (rows), v (cols); p[j] = row matched to column j (1-based, 0 = none)
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [math.inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = math.inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = a[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j] != 0]
    return sorted((r, c) for r, c in pairs if not math.isinf(cost[r][c]))
