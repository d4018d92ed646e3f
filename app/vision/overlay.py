"""Drawing of the line, zone and tracks on a (downscaled) frame, for the calibration preview and debug recording."""
from __future__ import annotations

import numpy as np

from app.vision.geometry import CountLine, Zone
from app.vision.tracker import Track


def annotate(image: np.ndarray, *, line: CountLine | None, zone: Zone | None, tracks: list[Track],
             max_width: int = 640) -> np.ndarray:
    """A copy of the frame scaled to at most `max_width` pixels, with line (in side marked), zone and boxes."""
    import cv2

    h, w = image.shape[:2]
    s = min(1.0, max_width / w)
    out = cv2.resize(image, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA) if s < 1.0 else image.copy()
    if zone is not None:
        cv2.rectangle(out, (int(zone.x1 * s), int(zone.y1 * s)), (int(zone.x2 * s) - 1, int(zone.y2 * s) - 1),
                      (255, 200, 0), 2)
    if line is not None:
        p1, p2 = (int(line.x1 * s), int(line.y1 * s)), (int(line.x2 * s), int(line.y2 * s))
        cv2.line(out, p1, p2, (0, 0, 255), 2)
        # arrow towards the "in" side, from the middle of the line
        mx, my = (p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2
        dx, dy = line.x2 - line.x1, line.y2 - line.y1
        n = max(1e-6, (dx * dx + dy * dy) ** 0.5)
        tip = (int(mx - dy / n * 25), int(my + dx / n * 25))
        cv2.arrowedLine(out, (int(mx), int(my)), tip, (0, 0, 255), 2, tipLength=0.4)
        cv2.putText(out, "in", (tip[0] + 4, tip[1] + 4), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 255), 1)
    for tr in tracks:
        b = tr.box
        colour = (0, 200, 0) if tr.matched else (0, 160, 255)
        cv2.rectangle(out, (int(b[0] * s), int(b[1] * s)), (int(b[2] * s), int(b[3] * s)), colour, 2)
        cv2.putText(out, str(tr.id), (int(b[0] * s) + 3, int(b[1] * s) + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                    colour, 1)
    return out
