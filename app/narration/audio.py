"""Audio file checks without extra libraries: wav via `wave`, ogg and mp3 by their headers.

Used to accept a synthesised file (non-empty, decodable, duration > 0), to join chunk files into
one narration, and to decide whether a recorded narration in a pack can be played.
"""
from __future__ import annotations

import os
import struct
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from app.narration.errors import AudioFileError


@dataclass(frozen=True)
class WavInfo:
    channels: int
    sample_width: int
    rate: int
    frames: int

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate if self.rate else 0.0


def wav_info(path: Path) -> WavInfo:
    """Header of a PCM wav file; AudioFileError if it is missing, empty or not a wav."""
    try:
        with wave.open(str(path), "rb") as w:
            info = WavInfo(w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes())
    except FileNotFoundError:
        raise AudioFileError(f"{path}: file not found") from None
    except (wave.Error, EOFError, OSError) as exc:
        raise AudioFileError(f"{path}: not a readable wav file ({exc})") from None
    expected = info.frames * info.channels * info.sample_width
    if info.frames <= 0 or info.rate <= 0:
        raise AudioFileError(f"{path}: wav file holds no audio")
    if os.path.getsize(path) < 44 + expected:
        raise AudioFileError(f"{path}: wav file is truncated")
    return info


def check_wav(path: Path, min_duration_s: float = 0.01) -> WavInfo:
    """Accept a synthesised wav only if it decodes and lasts at least min_duration_s."""
    info = wav_info(path)
    if info.duration_s < min_duration_s:
        raise AudioFileError(f"{path}: wav lasts {info.duration_s:.3f} s, too short to be speech")
    return info


def join_wavs(parts: Iterable[Path], out: Path) -> WavInfo:
    """Concatenate wav files of the same format into `out`; returns its header."""
    params = None
    frames = 0
    with wave.open(str(out), "wb") as dst:
        for part in parts:
            with wave.open(str(part), "rb") as src:
                p = (src.getnchannels(), src.getsampwidth(), src.getframerate())
                if params is None:
                    params = p
                    dst.setnchannels(p[0])
                    dst.setsampwidth(p[1])
                    dst.setframerate(p[2])
                elif p != params:
                    raise AudioFileError(f"{part}: format {p} differs from the first part {params}")
                data = src.readframes(src.getnframes())
                dst.writeframes(data)
                frames += src.getnframes()
    if params is None:
        raise AudioFileError(f"{out}: nothing to join")
    return WavInfo(params[0], params[1], params[2], frames)


# --- recorded narration in a pack -------------------------------------------------------------

_MP3_BITRATES = {  # layer III bitrates in kbit/s by index: MPEG-1, MPEG-2/2.5
    1: (32, 8), 2: (40, 16), 3: (48, 24), 4: (56, 32), 5: (64, 40), 6: (80, 48), 7: (96, 56),
    8: (112, 64), 9: (128, 80), 10: (160, 96), 11: (192, 112), 12: (224, 128), 13: (256, 144), 14: (320, 160)}
_MP3_RATES = {0: 44100, 1: 48000, 2: 32000}


def _ogg_duration(data: bytes, path: Path) -> float | None:
    if not data.startswith(b"OggS"):
        raise AudioFileError(f"{path}: not an Ogg file (no OggS header)")
    head = data[:512]
    if b"\x01vorbis" in head:
        i = head.index(b"\x01vorbis")
        rate = struct.unpack_from("<I", head, i + 12)[0]
    elif b"OpusHead" in head:
        rate = 48000
    else:
        raise AudioFileError(f"{path}: Ogg file carries neither Vorbis nor Opus audio")
    last = data.rfind(b"OggS")
    granule = struct.unpack_from("<q", data, last + 6)[0] if last + 14 <= len(data) else -1
    if granule <= 0 or rate <= 0:
        raise AudioFileError(f"{path}: Ogg file holds no audio pages (truncated?)")
    return granule / rate


def _mp3_duration(data: bytes, path: Path) -> float | None:
    pos = 0
    if data.startswith(b"ID3") and len(data) >= 10:
        size = data[6] << 21 | data[7] << 14 | data[8] << 7 | data[9]
        pos = 10 + size
    for i in range(pos, min(len(data) - 4, pos + 4096)):
        if data[i] != 0xFF or data[i + 1] & 0xE0 != 0xE0:
            continue
        b1, b2 = data[i + 1], data[i + 2]
        version, layer = (b1 >> 3) & 3, (b1 >> 1) & 3  # version 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
        rates = _MP3_BITRATES.get(b2 >> 4)
        rate = _MP3_RATES.get((b2 >> 2) & 3)
        if version == 1 or layer != 1 or not rates or not rate:
            continue  # not a layer III frame header
        mpeg1 = version == 3
        rate = rate if mpeg1 else rate // (2 if version == 2 else 4)
        per_frame = 1152 if mpeg1 else 576
        xing = data.find(b"Xing", i, i + 200)
        xing = xing if xing >= 0 else data.find(b"Info", i, i + 200)
        if xing >= 0 and data[xing + 7] & 1:  # VBR header with a frame count
            frames = struct.unpack_from(">I", data, xing + 8)[0]
            return frames * per_frame / rate
        return (len(data) - i) * 8 / (rates[0 if mpeg1 else 1] * 1000)
    raise AudioFileError(f"{path}: no MPEG audio frame found (not an mp3, or corrupt)")


def recorded_duration(path: Path) -> float | None:
    """Check a recorded narration file and estimate its length; AudioFileError if unusable.

    wav is decoded with `wave`; ogg (Vorbis/Opus) and mp3 are checked by their headers, the
    duration read from the last Ogg page or estimated from the mp3 bitrate.
    """
    suffix = path.suffix.lower()
    if suffix == ".wav":
        return check_wav(path).duration_s
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioFileError(f"{path}: file not found") from None
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) < 128:
        raise AudioFileError(f"{path}: only {len(data)} bytes, not audio")
    if suffix in (".ogg", ".oga", ".opus"):
        return _ogg_duration(data, path)
    if suffix == ".mp3":
        return _mp3_duration(data, path)
    raise AudioFileError(f"{path}: unsupported audio type '{suffix}' (use .wav, .ogg or .mp3)")
