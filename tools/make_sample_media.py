#!/usr/bin/env python3
"""Regenerate every picture, video and sound of the sample pack and of the app's own media/.

All output is drawn here from scratch (Pillow + numpy, Noto CJK fonts, espeak-ng, ffmpeg), so the
repository ships no third-party media. Output is deterministic: the same inputs give the same bytes.

    .venv/bin/python tools/make_sample_media.py            # everything
    .venv/bin/python tools/make_sample_media.py --only cards,map
    .venv/bin/python tools/make_sample_media.py --positions  # print map_pos of halls and sites

Parts: cards (exhibit title cards), extras (diagrams), map, video, narration, attract, sounds, icons.
Title cards and the narration read the exhibit YAML files, so run this after editing titles or the
narrated exhibit's body.
"""
from __future__ import annotations

import argparse
import math
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "exhibits" / "fujian-red-map"
PACK_MEDIA = PACK / "media"
APP_MEDIA = ROOT / "media"

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SC = 2  # index of the Simplified Chinese face inside the Noto CJK .ttc collections

RED_DARK = (74, 6, 10)
RED = (150, 18, 24)
RED_MID = (118, 12, 18)
GOLD = (232, 190, 100)
GOLD_LIGHT = (248, 226, 170)
CREAM = (252, 244, 228)

NARRATED_EXHIBIT = "gutian-meeting"
VIDEO_EXHIBIT = "red-radio-waves"


def font(size: int, weight: str = "regular") -> ImageFont.FreeTypeFont:
    """Noto CJK SC: weight is regular|bold (sans) or serif (serif bold, for solemn titles)."""
    name = {"regular": "NotoSansCJK-Regular.ttc", "bold": "NotoSansCJK-Bold.ttc",
            "serif": "NotoSerifCJK-Bold.ttc"}[weight]
    return ImageFont.truetype(str(FONT_DIR / name), size, index=SC)


# --------------------------------------------------------------------------- geography

# A hand-simplified outline of Fujian's mainland (lon, lat), drawn for this project.
FUJIAN_OUTLINE = [
    (117.20, 23.55), (116.95, 23.90), (116.80, 24.30), (116.55, 24.60), (116.30, 24.80),
    (116.00, 24.85), (115.85, 25.20), (115.95, 25.55), (116.15, 25.85), (116.30, 26.15),
    (116.40, 26.50), (116.60, 26.80), (116.95, 27.05), (117.10, 27.40), (117.25, 27.75),
    (117.60, 27.95), (118.00, 28.10), (118.30, 28.35), (118.55, 28.20), (118.75, 27.85),
    (119.00, 27.60), (119.35, 27.55), (119.70, 27.60), (120.05, 27.40), (120.35, 27.25),
    (120.55, 27.05), (120.30, 26.90), (120.05, 26.70), (119.80, 26.75), (119.65, 26.55),
    (119.75, 26.35), (119.65, 26.15), (119.65, 25.95), (119.55, 25.70), (119.45, 25.55),
    (119.20, 25.40), (119.05, 25.20), (118.85, 25.00), (118.70, 24.80), (118.55, 24.60),
    (118.25, 24.55), (118.10, 24.40), (117.90, 24.30), (117.75, 24.05), (117.50, 23.80),
    (117.30, 23.65),
]
ISLANDS = [  # centre (lon, lat), radius in degrees
    ((118.10, 24.47), 0.07),  # Xiamen island
    ((119.78, 25.52), 0.10),  # Pingtan
    ((117.45, 23.70), 0.06),  # Dongshan
]
# name_zh, name_en, lon, lat, level (province | city | county), label offset side
PLACES = {
    "fj-province": ("省级馆 · 福州", "Provincial hall", 119.30, 26.08, "province", "right"),
    "fuzhou": ("福州", "Fuzhou", 119.12, 25.96, "city", "left"),
    "xiamen": ("厦门", "Xiamen", 118.09, 24.48, "city", "right"),
    "zhangzhou": ("漳州", "Zhangzhou", 117.65, 24.51, "city", "left"),
    "quanzhou": ("泉州", "Quanzhou", 118.59, 24.91, "city", "right"),
    "sanming": ("三明", "Sanming", 117.64, 26.26, "city", "right"),
    "putian": ("莆田", "Putian", 119.01, 25.45, "city", "right"),
    "nanping": ("南平", "Nanping", 118.18, 26.64, "city", "right"),
    "longyan": ("龙岩", "Longyan", 117.02, 25.08, "city", "right"),
    "ningde": ("宁德", "Ningde", 119.55, 26.67, "city", "right"),
    "gutian": ("古田", "Gutian", 116.80, 25.24, "county", "left"),
    "changting": ("长汀", "Changting", 116.36, 25.84, "county", "right"),
    "ninghua": ("宁化", "Ninghua", 116.65, 26.26, "county", "right"),
    "xiadang": ("下党", "Xiadang", 119.40, 27.33, "county", "right"),
}
COUNTY_PARENT = {"gutian": "longyan", "changting": "longyan", "ninghua": "sanming", "xiadang": "ningde"}
# outside sites used by the study routes (not drawn on the map; positions printed for the YAML)
SITES = {
    "chixi": (120.05, 27.12),
    "caixi": (116.58, 25.28),
    "yongding": (116.73, 24.72),
    "xiamen-old-town": (118.08, 24.45),
    "xiamen-jail-site": (118.07, 24.46),
    "xiamen-community": (118.13, 24.50),
    "ningde-city": (119.52, 26.66),
}

MAP_W, MAP_H = 1600, 1200
_LON0, _LAT_TOP, _SCALE = 115.35, 28.65, 205.0
_COS = math.cos(math.radians(26.0))


def project(lon: float, lat: float, w: int = MAP_W, h: int = MAP_H) -> tuple[float, float]:
    """Pixel position of (lon, lat) on a map image of size w×h (drawn at 1600×1200, scaled)."""
    x = 40 + (lon - _LON0) * _COS * _SCALE
    y = 70 + (_LAT_TOP - lat) * _SCALE
    return x * w / MAP_W, y * h / MAP_H


def map_fraction(lon: float, lat: float) -> tuple[float, float]:
    x, y = project(lon, lat)
    return round(x / MAP_W, 3), round(y / MAP_H, 3)


# --------------------------------------------------------------------------- helpers

def vertical_gradient(w: int, h: int, top: tuple, bottom: tuple) -> Image.Image:
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    arr = np.array(top, float)[None, None, :] * (1 - t) + np.array(bottom, float)[None, None, :] * t
    return Image.fromarray(np.repeat(arr, w, axis=1).astype(np.uint8), "RGB")


def radial_glow(img: Image.Image, cx: float, cy: float, radius: float, colour: tuple,
                strength: float) -> Image.Image:
    w, h = img.size
    yy, xx = np.mgrid[0:h, 0:w]
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / radius
    a = np.clip(1 - d, 0, 1) ** 2 * strength
    base = np.asarray(img, float)
    out = base * (1 - a[..., None]) + np.array(colour, float) * a[..., None]
    return Image.fromarray(out.clip(0, 255).astype(np.uint8), "RGB")


def star_points(cx: float, cy: float, r: float, rot: float = -90.0) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = math.radians(rot + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def fit_font(draw: ImageDraw.ImageDraw, text: str, weight: str, size: int, max_w: int,
             min_size: int) -> ImageFont.FreeTypeFont:
    while size > min_size:
        f = font(size, weight)
        if draw.textlength(text, font=f) <= max_w:
            return f
        size -= 2
    return font(min_size, weight)


def wrap(draw: ImageDraw.ImageDraw, text: str, f: ImageFont.FreeTypeFont, max_w: int) -> list[str]:
    """Greedy wrap; splits at spaces for Latin text and anywhere for CJK."""
    words = text.split(" ") if re.search(r"[A-Za-z]", text) else list(text)
    sep = " " if re.search(r"[A-Za-z]", text) else ""
    lines, cur = [], ""
    for w in words:
        trial = (cur + sep + w) if cur else w
        if draw.textlength(trial, font=f) <= max_w:
            cur = trial
        else:
            if cur:
                lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def balanced_lines(draw: ImageDraw.ImageDraw, text: str, f: ImageFont.FreeTypeFont, max_w: int) -> list[str]:
    """One line if it fits, else two lines split at the space that makes them most even."""
    if draw.textlength(text, font=f) <= max_w or " " not in text:
        return [text]
    words = text.split(" ")
    best = min(range(1, len(words)), key=lambda i: max(draw.textlength(" ".join(words[:i]), font=f),
                                                       draw.textlength(" ".join(words[i:]), font=f)))
    return [" ".join(words[:best]), " ".join(words[best:])]


def centred(draw: ImageDraw.ImageDraw, y: float, text: str, f: ImageFont.FreeTypeFont, fill,
            w: int, **kw) -> None:
    draw.text((w / 2, y), text, font=f, fill=fill, anchor="mm", **kw)


def text_of(value, lang: str = "zh") -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or next(iter(value.values())))
    return "" if value is None else str(value)


def load_exhibits() -> list[dict]:
    out = []
    for p in sorted((PACK / "exhibits").glob("*.yaml")):
        with p.open(encoding="utf-8") as fh:
            out.append(yaml.safe_load(fh))
    return out


def save_jpeg(img: Image.Image, path: Path, quality: int = 86) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=quality, optimize=True, progressive=False, subsampling="4:2:0")


def save_png(img: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "PNG", optimize=True)


# --------------------------------------------------------------------------- motifs

def motif_signal(d: ImageDraw.ImageDraw, x: float, y: float, s: float, col) -> None:
    d.line([(x, y), (x, y + 1.6 * s)], fill=col, width=max(2, int(s / 12)))
    d.polygon([(x - 0.35 * s, y + 1.6 * s), (x + 0.35 * s, y + 1.6 * s), (x, y + 0.6 * s)],
              outline=col, width=max(2, int(s / 14)))
    for i in range(1, 4):
        r = i * 0.38 * s
        for a0, a1 in ((-60, 60), (120, 240)):
            d.arc([x - r, y - r, x + r, y + r], a0, a1, fill=col, width=max(2, int(s / 14)))


def motif_boat(d: ImageDraw.ImageDraw, x: float, y: float, s: float, col) -> None:
    d.polygon([(x - 1.2 * s, y + 0.6 * s), (x + 1.2 * s, y + 0.6 * s), (x + 0.9 * s, y + 1.0 * s),
               (x - 0.9 * s, y + 1.0 * s)], fill=col)
    d.rectangle([x - 0.7 * s, y + 0.25 * s, x + 0.7 * s, y + 0.6 * s], outline=col,
                width=max(2, int(s / 14)))
    for i in range(3):
        yy = y + 1.25 * s + i * 0.22 * s
        d.arc([x - 1.3 * s, yy - 0.1 * s, x, yy + 0.1 * s], 0, 180, fill=col, width=2)
        d.arc([x, yy - 0.1 * s, x + 1.3 * s, yy + 0.1 * s], 0, 180, fill=col, width=2)


def motif_waves(d: ImageDraw.ImageDraw, x: float, y: float, s: float, col) -> None:
    d.ellipse([x - 0.5 * s, y - 0.2 * s, x + 0.5 * s, y + 0.8 * s], outline=col, width=3)
    for i in range(4):
        yy = y + 1.1 * s + i * 0.28 * s
        pts = [(x - 1.4 * s + k * 0.07 * s, yy + 0.09 * s * math.sin(k * 0.55 + i))
               for k in range(41)]
        d.line(pts, fill=col, width=3)


def motif_mountains(d: ImageDraw.ImageDraw, x: float, y: float, s: float, col) -> None:
    d.line([(x - 1.5 * s, y + 1.6 * s), (x - 0.6 * s, y + 0.3 * s), (x - 0.1 * s, y + 1.0 * s),
            (x + 0.5 * s, y - 0.1 * s), (x + 1.5 * s, y + 1.6 * s)], fill=col, width=4, joint="curve")
    d.polygon(star_points(x + 0.5 * s, y - 0.5 * s, 0.22 * s), fill=col)


def motif_sprout(d: ImageDraw.ImageDraw, x: float, y: float, s: float, col) -> None:
    d.line([(x, y + 1.6 * s), (x, y + 0.2 * s)], fill=col, width=4)
    d.chord([x - 0.9 * s, y + 0.1 * s, x + 0.1 * s, y + 0.9 * s], 200, 20, fill=col)
    d.chord([x - 0.1 * s, y - 0.3 * s, x + 0.9 * s, y + 0.5 * s], 160, 340, fill=col)
    for i in range(3):  # water drops: "dripping water wears through stone"
        cx, cy = x - 1.0 * s + i * 0.15 * s, y + 1.3 * s - i * 0.35 * s
        d.ellipse([cx - 0.06 * s, cy - 0.06 * s, cx + 0.06 * s, cy + 0.06 * s], fill=col)


def motif_houses(d: ImageDraw.ImageDraw, x: float, y: float, s: float, col) -> None:
    for k, dx in enumerate((-0.9, 0.0, 0.9)):
        bx, by = x + dx * s, y + (0.35 if k != 1 else 0.1) * s
        d.polygon([(bx - 0.4 * s, by + 0.4 * s), (bx, by), (bx + 0.4 * s, by + 0.4 * s)], outline=col,
                  width=3)
        d.rectangle([bx - 0.3 * s, by + 0.4 * s, bx + 0.3 * s, by + 1.1 * s], outline=col, width=3)
    d.polygon(star_points(x, y - 0.35 * s, 0.2 * s), fill=col)


MOTIFS: dict[str, Callable] = {
    "communications": motif_signal, "5g": motif_signal, "smart-hall": motif_signal,
    "red-boat": motif_boat, "ant-island": motif_waves, "haixia": motif_waves,
    "land-reclamation": motif_waves, "poverty-alleviation": motif_sprout,
    "party-building": motif_houses, "reform": motif_houses,
}


def motif_for(tags: Iterable[str]) -> Callable:
    for t in tags:
        if t in MOTIFS:
            return MOTIFS[t]
    return motif_mountains


# --------------------------------------------------------------------------- title cards

def title_card(title_zh: str, title_en: str, period: str, tags: Iterable[str],
               footer: str = "福建红色地图 · Fujian Red Map", w: int = 1280, h: int = 720) -> Image.Image:
    """A 1280×720 solemn red/gold card: star, Chinese title, English subtitle, period, motif."""
    img = vertical_gradient(w, h, (136, 14, 22), RED_DARK)
    img = radial_glow(img, w * 0.5, h * 0.05, w * 0.75, (190, 40, 30), 0.55)
    d = ImageDraw.Draw(img)
    # faint sunburst from the top centre
    for i in range(24):
        a = math.radians(i * 15 + 7.5)
        d.line([(w / 2, -40), (w / 2 + 1600 * math.cos(a), -40 + 1600 * math.sin(a))],
               fill=(128, 16, 22), width=22)
    img = Image.blend(vertical_gradient(w, h, (136, 14, 22), RED_DARK), img, 0.35)
    img = radial_glow(img, w * 0.5, h * 0.42, w * 0.55, (160, 26, 28), 0.45)
    d = ImageDraw.Draw(img)
    # double gold frame
    d.rectangle([26, 26, w - 27, h - 27], outline=GOLD, width=3)
    d.rectangle([38, 38, w - 39, h - 39], outline=(184, 140, 70), width=1)
    for cx, cy in ((38, 38), (w - 39, 38), (38, h - 39), (w - 39, h - 39)):
        d.polygon([(cx, cy - 10), (cx + 10, cy), (cx, cy + 10), (cx - 10, cy)], fill=GOLD)
    # motif, right-bottom, faint gold
    motif_for(tags)(d, w - 150, h - 215, 56, (196, 150, 80))
    # star and rules
    d.polygon(star_points(w / 2, 120, 34), fill=GOLD)
    d.line([(w / 2 - 260, 120), (w / 2 - 56, 120)], fill=GOLD, width=2)
    d.line([(w / 2 + 56, 120), (w / 2 + 260, 120)], fill=GOLD, width=2)
    # Chinese title (one or two lines), English subtitle, period
    f_title = fit_font(d, title_zh, "serif", 92, w - 220, 60)
    lines = [title_zh]
    if d.textlength(title_zh, font=f_title) > w - 220:
        lines = wrap(d, title_zh, f_title, w - 220)
    y = 300 if len(lines) == 1 else 255
    for ln in lines:
        centred(d, y + 3, ln, f_title, (60, 0, 0), w)
        centred(d, y, ln, f_title, GOLD_LIGHT, w)
        y += f_title.size + 18
    y += 10
    d.line([(w / 2 - 120, y), (w / 2 + 120, y)], fill=GOLD, width=2)
    f_en = font(36)
    en_lines = balanced_lines(d, title_en, f_en, w - 480)
    y += 50
    for ln in en_lines:
        centred(d, y, ln, f_en, (245, 218, 160), w)
        y += 48
    if period:
        centred(d, y + 22, period, font(28), (226, 180, 120), w)
    d.text((64, h - 70), footer, font=font(22), fill=(214, 168, 100), anchor="lm")
    return img


def make_cards() -> list[Path]:
    out = []
    for ex in load_exhibits():
        card = title_card(text_of(ex["title"], "zh"), text_of(ex["title"], "en"),
                          text_of(ex.get("period"), "zh"), ex.get("tags", []))
        path = PACK_MEDIA / "images" / f"{ex['id']}.jpg"
        save_jpeg(card, path)
        out.append(path)
    return out


# --------------------------------------------------------------------------- map

def draw_map(w: int = MAP_W, h: int = MAP_H, labels: bool = True, legend: bool = True) -> Image.Image:
    """The stylised Fujian red map: province outline, nine cities, the county halls."""
    img = vertical_gradient(w, h, (44, 8, 12), (28, 6, 10))
    d = ImageDraw.Draw(img)
    k = w / MAP_W
    # graticule
    for lon in np.arange(116.0, 121.0, 1.0):
        x0, y0 = project(lon, 28.9, w, h)
        x1, y1 = project(lon, 23.0, w, h)
        d.line([(x0, y0), (x1, y1)], fill=(64, 20, 24), width=1)
    for lat in np.arange(24.0, 29.0, 1.0):
        x0, y0 = project(115.0, lat, w, h)
        x1, y1 = project(121.6, lat, w, h)
        d.line([(x0, y0), (x1, y1)], fill=(64, 20, 24), width=1)
    # sea hatching off the coast
    for i in range(14):
        lon, lat = 119.9 + (i % 4) * 0.22, 25.0 + (i // 4) * 0.55
        x, y = project(lon, lat, w, h)
        d.arc([x - 16 * k, y - 6 * k, x + 16 * k, y + 6 * k], 200, 340, fill=(90, 40, 40), width=2)
    poly = [project(lon, lat, w, h) for lon, lat in FUJIAN_OUTLINE]
    shadow = Image.new("L", (w, h), 0)
    ImageDraw.Draw(shadow).polygon([(x + 10 * k, y + 12 * k) for x, y in poly], fill=160)
    shadow = shadow.filter(ImageFilter.GaussianBlur(14 * k))
    img.paste((10, 0, 0), mask=shadow)
    land = Image.new("L", (w, h), 0)
    ImageDraw.Draw(land).polygon(poly, fill=255)
    fill = vertical_gradient(w, h, (168, 28, 30), (116, 14, 20))
    img.paste(fill, mask=land)
    d = ImageDraw.Draw(img)
    d.line(poly + [poly[0]], fill=GOLD, width=max(2, int(4 * k)), joint="curve")
    for (lon, lat), r in ISLANDS:
        x, y = project(lon, lat, w, h)
        rr = r * _SCALE * k
        d.ellipse([x - rr, y - rr * 0.8, x + rr, y + rr * 0.8], fill=(150, 24, 28), outline=GOLD,
                  width=max(1, int(2 * k)))
    # links province hall -> cities -> counties (the 1+9+N network)
    px, py = project(*PLACES["fj-province"][2:4], w, h)
    for pid, (_, _, lon, lat, level, _) in PLACES.items():
        x, y = project(lon, lat, w, h)
        if level == "city":
            d.line([(px, py), (x, y)], fill=(236, 196, 110), width=max(1, int(2 * k)))
        elif level == "county":
            qx, qy = project(*PLACES[COUNTY_PARENT[pid]][2:4], w, h)
            d.line([(qx, qy), (x, y)], fill=(214, 170, 96), width=max(1, int(2 * k)))
    f_zh, f_en = font(int(34 * k), "bold"), font(int(20 * k))
    f_zh_s = font(int(26 * k), "bold")
    for pid, (zh, en, lon, lat, level, side) in PLACES.items():
        x, y = project(lon, lat, w, h)
        if level == "province":
            d.ellipse([x - 30 * k, y - 30 * k, x + 30 * k, y + 30 * k], fill=(120, 10, 14), outline=GOLD,
                      width=max(2, int(3 * k)))
            d.polygon(star_points(x, y, 24 * k), fill=GOLD_LIGHT)
        elif level == "city":
            d.ellipse([x - 15 * k, y - 15 * k, x + 15 * k, y + 15 * k], fill=GOLD, outline=(90, 10, 10),
                      width=max(1, int(2 * k)))
            d.ellipse([x - 6 * k, y - 6 * k, x + 6 * k, y + 6 * k], fill=(140, 16, 20))
        else:
            s = 10 * k
            d.polygon([(x, y - s), (x + s, y), (x, y + s), (x - s, y)], fill=GOLD_LIGHT,
                      outline=(90, 10, 10))
        if not labels:
            continue
        fz = f_zh if level != "county" else f_zh_s
        dx = (36 if level == "province" else 22) * k
        anchor_zh, anchor_en = ("ls", "lt") if side == "right" else ("rs", "rt")
        tx = x + dx if side == "right" else x - dx
        d.text((tx, y + 4 * k), zh, font=fz, fill=CREAM, anchor=anchor_zh, stroke_width=max(1, int(3 * k)),
               stroke_fill=(70, 0, 4))
        d.text((tx, y + 8 * k), en, font=f_en, fill=GOLD_LIGHT, anchor=anchor_en,
               stroke_width=max(1, int(2 * k)), stroke_fill=(70, 0, 4))
    if legend:
        lx = int(1130 * k)
        d.text((lx, 90 * k), "福建红色地图", font=font(int(60 * k), "serif"), fill=GOLD_LIGHT, anchor="lt")
        d.text((lx, 170 * k), "“1+9+N”研学和创红图", font=font(int(34 * k), "bold"), fill=GOLD, anchor="lt")
        d.text((lx, 222 * k), "Fujian Red Map · the 1+9+N network", font=font(int(22 * k)), fill=CREAM,
               anchor="lt")
        d.line([(lx, 268 * k), (lx + 400 * k, 268 * k)], fill=GOLD, width=2)
        rows = [("province", "省级馆（1）", "Provincial hall"), ("city", "市级馆（9）", "City halls"),
                ("county", "县级馆（N）", "County halls")]
        y = 320 * k
        for level, zh, en in rows:
            x = lx + 24 * k
            if level == "province":
                d.ellipse([x - 22 * k, y - 22 * k, x + 22 * k, y + 22 * k], fill=(120, 10, 14), outline=GOLD,
                          width=3)
                d.polygon(star_points(x, y, 17 * k), fill=GOLD_LIGHT)
            elif level == "city":
                d.ellipse([x - 14 * k, y - 14 * k, x + 14 * k, y + 14 * k], fill=GOLD)
                d.ellipse([x - 5 * k, y - 5 * k, x + 5 * k, y + 5 * k], fill=(140, 16, 20))
            else:
                s = 10 * k
                d.polygon([(x, y - s), (x + s, y), (x, y + s), (x - s, y)], fill=GOLD_LIGHT)
            d.text((x + 44 * k, y), zh, font=font(int(28 * k), "bold"), fill=CREAM, anchor="lm")
            d.text((x + 230 * k, y), en, font=font(int(20 * k)), fill=GOLD_LIGHT, anchor="lm")
            y += 70 * k
        notes = ["一地市 · 一基地 · 一线路", "One city, one base, one route"]
        d.text((lx, y + 20 * k), notes[0], font=font(int(26 * k)), fill=CREAM, anchor="lt")
        d.text((lx, y + 62 * k), notes[1], font=font(int(20 * k)), fill=GOLD_LIGHT, anchor="lt")
        d.text((lx, h - 60 * k), "示意图，非精确地图 · Schematic, not to survey scale", font=font(int(18 * k)),
               fill=(200, 150, 110), anchor="lt")
    return img


def make_map() -> list[Path]:
    path = PACK_MEDIA / "map" / "fujian-red-map.png"
    img = draw_map().quantize(colors=192, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    save_png(img, path)
    return [path]


# --------------------------------------------------------------------------- extra exhibit images

def make_extras() -> list[Path]:
    """Diagrams used as the second/third pictures of the multi-image exhibits."""
    out = []
    # 1. the 1+9+N matrix as a tree diagram
    w, h = 1280, 720
    img = vertical_gradient(w, h, (250, 242, 226), (238, 224, 198))
    d = ImageDraw.Draw(img)
    d.text((w / 2, 60), "“1+9+N”矩阵示意", font=font(48, "serif"), fill=RED, anchor="mm")
    d.text((w / 2, 108), "1 provincial hall · 9 city halls · N county halls", font=font(24), fill=(120, 60, 40),
           anchor="mm")
    top = (w / 2, 200)
    d.rounded_rectangle([top[0] - 170, top[1] - 40, top[0] + 170, top[1] + 40], 14, fill=RED, outline=GOLD,
                        width=3)
    d.text(top, "省级馆 · 福州", font=font(34, "bold"), fill=GOLD_LIGHT, anchor="mm")
    cities = ["福州", "厦门", "漳州", "泉州", "三明", "莆田", "南平", "龙岩", "宁德"]
    xs = [90 + i * (w - 180) / 8 for i in range(9)]
    for x, name in zip(xs, cities):
        d.line([(top[0], top[1] + 40), (top[0], 300), (x, 300), (x, 360)], fill=(170, 110, 60), width=3)
        d.rounded_rectangle([x - 56, 360, x + 56, 430], 10, fill=(176, 32, 34))
        d.text((x, 395), name, font=font(32, "bold"), fill=CREAM, anchor="mm")
    counties = {"三明": ["宁化"], "龙岩": ["古田", "长汀"], "宁德": ["下党"]}
    for x, name in zip(xs, cities):
        for j, cn in enumerate(counties.get(name, [])):
            cx = x + (j - (len(counties[name]) - 1) / 2) * 96
            d.line([(x, 430), (x, 480), (cx, 480), (cx, 520)], fill=(170, 110, 60), width=2)
            d.rounded_rectangle([cx - 44, 520, cx + 44, 574], 8, outline=RED, width=3, fill=CREAM)
            d.text((cx, 547), cn, font=font(26, "bold"), fill=RED, anchor="mm")
    d.text((w / 2, 640), "一地市 · 一基地 · 一线路     One city · one base · one route", font=font(28),
           fill=(110, 40, 30), anchor="mm")
    p = PACK_MEDIA / "images" / "matrix-1-9-n.png"
    save_png(img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE), p)
    out.append(p)
    # 2. a crop of the map around the network
    m = draw_map(labels=True, legend=False).crop((0, 0, 1090, 1200)).resize((654, 720), Image.LANCZOS)
    canvas = vertical_gradient(1280, 720, (44, 8, 12), (28, 6, 10))
    canvas.paste(m, (0, 0))
    d = ImageDraw.Draw(canvas)
    d.text((700, 150), "红色地图上的", font=font(44, "serif"), fill=GOLD_LIGHT, anchor="lt")
    d.text((700, 215), "省、市、县三级展馆", font=font(44, "serif"), fill=GOLD_LIGHT, anchor="lt")
    d.text((700, 300), "Province, city and county halls", font=font(26), fill=CREAM, anchor="lt")
    d.text((700, 340), "on the Fujian red map", font=font(26), fill=CREAM, anchor="lt")
    for i, line in enumerate(["1 个省级馆", "9 个市级馆", "N 个县级馆"]):
        d.text((700, 430 + i * 58), line, font=font(34, "bold"), fill=GOLD, anchor="lt")
    p = PACK_MEDIA / "images" / "red-map-network.jpg"
    save_jpeg(canvas, p)
    out.append(p)
    # 3. a timeline of red communications for the radio-waves exhibit
    img = vertical_gradient(w, h, (250, 242, 226), (238, 224, 198))
    d = ImageDraw.Draw(img)
    d.text((w / 2, 70), "从红色电波到5G · 时间线", font=font(46, "serif"), fill=RED, anchor="mm")
    d.text((w / 2, 118), "From red radio waves to 5G: a timeline", font=font(24), fill=(120, 60, 40), anchor="mm")
    events = [("1929", "古田会议", "Gutian Meeting"), ("1930", "红色交通线", "Secret courier line"),
              ("1931", "红军无线电队", "Red Army radio team"), ("1932", "赤色邮政", "Soviet postal service"),
              ("今天", "5G智慧馆", "5G smart halls")]
    y0 = 380
    d.line([(100, y0), (w - 100, y0)], fill=RED, width=6)
    for i, (yr, zh, en) in enumerate(events):
        x = 160 + i * (w - 320) / 4
        d.ellipse([x - 18, y0 - 18, x + 18, y0 + 18], fill=GOLD, outline=RED, width=4)
        d.text((x, y0 - 60), yr, font=font(40, "bold"), fill=RED, anchor="mm")
        d.text((x, y0 + 62), zh, font=font(32, "bold"), fill=(70, 20, 20), anchor="mm")
        d.text((x, y0 + 104), en, font=font(20), fill=(120, 60, 40), anchor="mm")
    d.text((w / 2, 600), "1930年底缴获“半部电台”，1931年初组建红军第一支无线电队", font=font(28), fill=(110, 40, 30),
           anchor="mm")
    d.text((w / 2, 644), "Half a captured radio set in late 1930; the first Red Army radio team in early 1931",
           font=font(22), fill=(120, 60, 40), anchor="mm")
    p = PACK_MEDIA / "images" / "red-comms-timeline.png"
    save_png(img.quantize(colors=96, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE), p)
    out.append(p)
    return out


# --------------------------------------------------------------------------- video

def encode_video(frames: Iterable[Image.Image], path: Path, w: int, h: int, fps: int, crf: int) -> None:
    """Pipe RGB frames into ffmpeg → H.264/yuv420p .mp4 with bit-exact flags (deterministic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
           "-s", f"{w}x{h}", "-r", str(fps), "-i", "-", "-an", "-c:v", "libx264", "-preset", "medium",
           "-tune", "animation", "-crf", str(crf), "-pix_fmt", "yuv420p", "-x264-params", "threads=1",
           "-movflags", "+faststart", "-fflags", "+bitexact", "-flags:v", "+bitexact",
           "-map_metadata", "-1", str(path)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    for f in frames:
        proc.stdin.write(f.tobytes())
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError(f"ffmpeg failed writing {path}")


def radio_frames(w: int = 1280, h: int = 720, fps: int = 25, seconds: int = 10):
    """10 s: signal rings from the old Soviet area, then links to the 1+9+N halls, then a caption."""
    base_map = draw_map(labels=False, legend=False).crop((0, 0, 1090, 1200)).resize((654, 720), Image.LANCZOS)
    base = vertical_gradient(w, h, (44, 8, 12), (28, 6, 10))
    base.paste(base_map, (0, 0))
    scale = 654 / 1090

    def pos(pid: str) -> tuple[float, float]:
        x, y = project(*PLACES[pid][2:4])
        return x * scale, y * scale

    captions = [(0, 3.4, "苏区的红色电波", "Red radio waves in the old Soviet area"),
                (3.4, 7.0, "“1+9+N” 红色通信和创智慧馆", "The 1+9+N red communications halls"),
                (7.0, 10.1, "从红色电波到5G", "From red radio waves to 5G")]
    f_zh, f_en = font(46, "serif"), font(26)
    origin = pos("changting")
    for n in range(fps * seconds):
        t = n / fps
        img = base.copy()
        d = ImageDraw.Draw(img)
        for k in range(4):  # expanding rings
            r = ((t * 70 + k * 60) % 240)
            a = max(0, 1 - r / 240)
            col = tuple(int(c * a + b * (1 - a)) for c, b in zip(GOLD_LIGHT, (120, 14, 20)))
            for src in ("changting", "gutian"):
                x, y = pos(src)
                d.ellipse([x - r, y - r, x + r, y + r], outline=col, width=3)
        if t > 3.0:
            grow = min(1.0, (t - 3.0) / 2.5)
            px, py = pos("fj-province")
            for pid, p in PLACES.items():
                if p[4] == "province":
                    continue
                x, y = pos(pid)
                sx, sy = (px, py) if p[4] == "city" else pos(COUNTY_PARENT[pid])
                d.line([(sx, sy), (sx + (x - sx) * grow, sy + (y - sy) * grow)], fill=GOLD, width=3)
        for pid, p in PLACES.items():
            x, y = pos(pid)
            pulse = 1 + 0.25 * math.sin(t * 4 + x)
            r = (14 if p[4] == "province" else 8 if p[4] == "city" else 6) * pulse
            d.ellipse([x - r, y - r, x + r, y + r], fill=GOLD_LIGHT if p[4] != "county" else GOLD)
        for t0, t1, zh, en in captions:
            if t0 <= t < t1:
                a = min(1.0, (t - t0) / 0.6, (t1 - t) / 0.4)
                col = tuple(int(c * a + 34 * (1 - a)) for c in GOLD_LIGHT)
                col2 = tuple(int(c * a + 34 * (1 - a)) for c in CREAM)
                d.text((970, 330), zh, font=fit_font(d, zh, "serif", 46, 560, 28), fill=col, anchor="mm")
                d.text((970, 400), en, font=f_en, fill=col2, anchor="mm")
        d.text((970, 650), "福建红色地图 · Fujian Red Map", font=font(20), fill=(190, 140, 100), anchor="mm")
        yield img


def make_video() -> list[Path]:
    path = PACK_MEDIA / "video" / f"{VIDEO_EXHIBIT}.mp4"
    encode_video(radio_frames(), path, 1280, 720, 25, 27)
    return [path]


def attract_frames(w: int = 1280, h: int = 720, fps: int = 25, seconds: int = 18):
    """A seamless loop (period = length): turning rays, a breathing touch ring, an invitation."""
    bg = vertical_gradient(w, h, (132, 12, 20), (60, 4, 8))
    bg = radial_glow(bg, w / 2, h * 0.42, w * 0.6, (176, 34, 30), 0.6)
    n_rays = 18
    f_logo, f_sub = font(120, "serif"), font(30)
    f_cta, f_cta_en = font(52, "bold"), font(32)
    total = fps * seconds
    for n in range(total):
        t = n / total  # 0..1, loops
        img = bg.copy()
        over = Image.new("RGB", (w, h), (0, 0, 0))
        od = ImageDraw.Draw(over)
        rot = t * 360 / n_rays * 3  # three ray-steps per loop: seamless
        cx, cy = w / 2, h * 0.40
        for i in range(n_rays):
            a0 = math.radians(rot + i * 360 / n_rays)
            a1 = a0 + math.radians(360 / n_rays / 2.6)
            od.polygon([(cx, cy), (cx + 1500 * math.cos(a0), cy + 1500 * math.sin(a0)),
                        (cx + 1500 * math.cos(a1), cy + 1500 * math.sin(a1))], fill=(36, 14, 4))
        img = Image.fromarray(np.minimum(np.asarray(img, np.int16) + np.asarray(over, np.int16), 255)
                              .astype(np.uint8))
        d = ImageDraw.Draw(img)
        d.polygon(star_points(cx, 118, 40), fill=GOLD)
        d.text((cx + 3, 262 + 4), "红图", font=f_logo, fill=(60, 0, 0), anchor="mm")
        d.text((cx, 262), "红图", font=f_logo, fill=GOLD_LIGHT, anchor="mm")
        d.text((cx, 360), "HONGTU · 红色教育展馆导览", font=f_sub, fill=(245, 218, 160), anchor="mm")
        # breathing touch ring (3 breaths per loop)
        ph = math.sin(2 * math.pi * 3 * t)
        rx, ry = cx, 500
        for k in range(3):
            r = 40 + ((t * 3 + k / 3) % 1.0) * 70
            a = 1 - (r - 40) / 70
            col = tuple(int(g * a + b * (1 - a)) for g, b in zip(GOLD_LIGHT, (110, 12, 18)))
            d.ellipse([rx - r, ry - r, rx + r, ry + r], outline=col, width=3)
        d.ellipse([rx - 30, ry - 30, rx + 30, ry + 30], fill=GOLD)
        d.ellipse([rx - 12, ry - 12, rx + 12, ry + 12], fill=(140, 16, 20))
        alpha = 0.75 + 0.25 * ph
        col = tuple(int(c * alpha + 90 * (1 - alpha)) for c in GOLD_LIGHT)
        d.text((cx, 610), "触摸屏幕 开始参观", font=f_cta, fill=col, anchor="mm")
        d.text((cx, 666), "Touch to begin", font=f_cta_en, fill=CREAM, anchor="mm")
        yield img


def make_attract() -> list[Path]:
    path = APP_MEDIA / "attract.mp4"
    encode_video(attract_frames(), path, 1280, 720, 25, 30)
    poster = next(attract_frames(seconds=1))
    p2 = APP_MEDIA / "attract-poster.jpg"
    save_jpeg(poster, p2)
    return [path, p2]


# --------------------------------------------------------------------------- narration

def plain_text(markdown: str) -> str:
    """Markdown subset → speakable text (drops heading marks, bold, list markers)."""
    lines = []
    for ln in markdown.splitlines():
        ln = re.sub(r"^\s*(#+|-|\d+\.)\s*", "", ln).replace("**", "").strip()
        if ln:
            lines.append(ln if re.search(r"[。！？：；]$", ln) else ln + "。")
    return "".join(lines)


def make_narration() -> list[Path]:
    ex = next(e for e in load_exhibits() if e["id"] == NARRATED_EXHIBIT)
    text = text_of(ex["title"], "zh") + "。" + plain_text(text_of(ex["body"], "zh"))
    path = PACK_MEDIA / "audio" / f"{NARRATED_EXHIBIT}-zh.ogg"
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "n.wav"
        subprocess.run(["espeak-ng", "-v", "cmn", "-s", "165", "-p", "45", "-w", str(wav), text], check=True)
        subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav), "-ac", "1",
                        "-ar", "22050", "-c:a", "libvorbis", "-q:a", "2", "-fflags", "+bitexact",
                        "-flags:a", "+bitexact", "-map_metadata", "-1", str(path)], check=True)
    return [path]


# --------------------------------------------------------------------------- UI sounds

def write_wav(path: Path, samples: np.ndarray, rate: int = 44100) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(samples, -1, 1) * 32000).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def tone(freq: float, dur: float, rate: int = 44100, decay: float = 6.0,
         harmonics: tuple[float, ...] = (1.0, 0.35, 0.12)) -> np.ndarray:
    t = np.arange(int(dur * rate)) / rate
    sig = sum(a * np.sin(2 * np.pi * freq * (i + 1) * t) for i, a in enumerate(harmonics))
    env = np.exp(-decay * t) * np.minimum(1, t / 0.004)
    return sig * env / sum(harmonics)


def make_sounds() -> list[Path]:
    rate = 44100
    out = []
    rng = np.random.default_rng(7)
    t = np.arange(int(0.07 * rate)) / rate
    tap = 0.6 * np.sin(2 * np.pi * 1400 * t) * np.exp(-70 * t) + 0.15 * rng.standard_normal(t.size) * np.exp(-160 * t)
    tap *= np.minimum(1, t / 0.002)
    out.append(APP_MEDIA / "sounds" / "tap.wav")
    write_wav(out[-1], 0.7 * tap)
    a, b = tone(880, 0.45, decay=7), tone(1318.5, 0.6, decay=6)
    correct = np.zeros(int(0.75 * rate))
    correct[: a.size] += a
    off = int(0.12 * rate)
    correct[off: off + b.size] += b
    out.append(APP_MEDIA / "sounds" / "correct.wav")
    write_wav(out[-1], 0.55 * correct)
    a, b = tone(311, 0.22, decay=5, harmonics=(1, 0.5, 0.3, 0.2)), tone(233, 0.4, decay=5,
                                                                         harmonics=(1, 0.5, 0.3, 0.2))
    wrong = np.zeros(int(0.65 * rate))
    wrong[: a.size] += a
    off = int(0.2 * rate)
    wrong[off: off + b.size] += b
    out.append(APP_MEDIA / "sounds" / "wrong.wav")
    write_wav(out[-1], 0.5 * wrong)
    return out


# --------------------------------------------------------------------------- icons

_SVG_HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48" fill="none" '
             'stroke="#F2D48A" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">\n')
ICONS = {
    "home": '<path d="M6 22 24 7l18 15"/><path d="M11 19v21h26V19"/><path d="M20 40V28h8v12"/>',
    "back": '<path d="M30 8 14 24l16 16"/>',
    "close": '<path d="M12 12l24 24M36 12 12 36"/>',
    "map": '<path d="M5 11l12-5 14 5 12-5v31l-12 5-14-5-12 5z"/><path d="M17 6v31M31 11v31"/>',
    "route": '<circle cx="12" cy="38" r="4"/><circle cx="36" cy="10" r="4"/>'
             '<path d="M16 38h14a7 7 0 0 0 0-14H18a7 7 0 0 1 0-14h14"/>',
    "quiz": '<circle cx="24" cy="24" r="19"/><path d="M18 19a6 6 0 1 1 8 5.6c-1.3.5-2 1.6-2 3V30"/>'
            '<circle cx="24" cy="36" r="1.2" fill="#F2D48A"/>',
    "search": '<circle cx="21" cy="21" r="13"/><path d="M31 31l11 11"/>',
    "language": '<circle cx="24" cy="24" r="19"/><path d="M5 24h38M24 5c6 6 6 32 0 38M24 5c-6 6-6 32 0 38"/>',
    "narration": '<path d="M8 18h8l10-8v28l-10-8H8z"/><path d="M32 17a9 9 0 0 1 0 14M37 12a16 16 0 0 1 0 24"/>',
    "play": '<path d="M15 9v30l25-15z"/>',
    "pause": '<path d="M17 9v30M31 9v30"/>',
    "text-size": '<path d="M6 38 15 12l9 26M9 30h12"/><path d="M27 38l6-17 6 17M29 33h8"/>',
    "trophy": '<path d="M15 7h18v11a9 9 0 0 1-18 0z"/><path d="M15 11H8a7 7 0 0 0 8 9M33 11h7a7 7 0 0 1-8 9"/>'
              '<path d="M24 27v7M16 41h16M19 34h10v7H19z"/>',
    "pk": '<circle cx="14" cy="14" r="6"/><circle cx="34" cy="14" r="6"/><path d="M4 40a10 10 0 0 1 20 0"/>'
          '<path d="M24 40a10 10 0 0 1 20 0"/>',
    "touch": '<path d="M19 26V10a3 3 0 0 1 6 0v12l9 2a4 4 0 0 1 3 5l-3 11H20l-7-9a3 3 0 0 1 5-3z"/>'
             '<path d="M13 12a9 9 0 0 1 18 0"/>',
}


def make_icons() -> list[Path]:
    out = []
    d = APP_MEDIA / "icons"
    d.mkdir(parents=True, exist_ok=True)
    for name, body in ICONS.items():
        p = d / f"{name}.svg"
        p.write_text(_SVG_HEAD + "  " + body + "\n</svg>\n", encoding="utf-8")
        out.append(p)
    # application icon: red rounded square, gold star and 红
    size = 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    dd = ImageDraw.Draw(img)
    dd.rounded_rectangle([8, 8, size - 8, size - 8], 48, fill=RED, outline=GOLD, width=8)
    dd.polygon(star_points(size / 2, 66, 30), fill=GOLD)
    dd.text((size / 2, 160), "红图", font=font(84, "serif"), fill=GOLD_LIGHT, anchor="mm")
    p = d / "hongtu.png"
    save_png(img, p)
    out.append(p)
    p = d / "hongtu.svg"
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in star_points(128, 110, 70))
    p.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">\n'
                 '  <rect x="8" y="8" width="240" height="240" rx="48" fill="#96121A" stroke="#E8BE64" '
                 'stroke-width="8"/>\n'
                 f'  <polygon points="{pts}" fill="#E8BE64"/>\n'
                 '  <path d="M58 200h140" stroke="#F8E2AA" stroke-width="10" stroke-linecap="round"/>\n'
                 '</svg>\n', encoding="utf-8")
    out.append(p)
    return out


# --------------------------------------------------------------------------- main

PARTS: dict[str, Callable[[], list[Path]]] = {
    "cards": make_cards, "extras": make_extras, "map": make_map, "video": make_video,
    "narration": make_narration, "attract": make_attract, "sounds": make_sounds, "icons": make_icons,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated parts: " + ",".join(PARTS))
    ap.add_argument("--positions", action="store_true", help="print map_pos fractions and exit")
    args = ap.parse_args(argv)
    if args.positions:
        for pid, p in PLACES.items():
            print(f"{pid}: map_pos: {list(map_fraction(p[2], p[3]))}")
        for sid, (lon, lat) in SITES.items():
            print(f"site {sid}: map_pos: {list(map_fraction(lon, lat))}")
        return 0
    for tool in ("ffmpeg", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"make_sample_media: '{tool}' is not installed", file=sys.stderr)
            return 1
    parts = args.only.split(",") if args.only else list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        print(f"make_sample_media: unknown part(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    for part in parts:
        for path in PARTS[part]():
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
