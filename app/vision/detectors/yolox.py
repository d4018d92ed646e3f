"""YOLOX person detector from an ONNX file (class 0 = person), run with onnxruntime or cv2.dnn.

Input 1×3×S×S BGR float, no normalisation, letterboxed to the top-left with grey (114) padding.
Output 1×N×(5+C): per anchor cx, cy, w, h (grid-relative), objectness, C class scores; decoded
with the YOLOX grid for strides 8, 16 and 32 (N = Σ (S/stride)²).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from app.vision.detectors.base import nms
from app.vision.errors import ModelError
from app.vision.geometry import Detection

STRIDES = (8, 16, 32)
BACKENDS = ("onnxruntime", "opencv")


def make_grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(grid xy offsets N×2, stride per anchor N×1) for a square input of `size` pixels."""
    grids, strides = [], []
    for s in STRIDES:
        n = size // s
        ys, xs = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        grids.append(np.stack((xs, ys), axis=-1).reshape(-1, 2))
        strides.append(np.full((n * n, 1), s))
    return np.concatenate(grids).astype(np.float32), np.concatenate(strides).astype(np.float32)


def letterbox(frame: np.ndarray, size: int) -> tuple[np.ndarray, float]:
    """Frame scaled to fit size×size at the top-left, grey padding; returns (1×3×S×S float32, ratio)."""
    import cv2

    h, w = frame.shape[:2]
    r = min(size / h, size / w)
    nh, nw = int(round(h * r)), int(round(w * r))
    padded = np.full((size, size, 3), 114, dtype=np.uint8)
    padded[:nh, :nw] = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_LINEAR)
    blob = padded.transpose(2, 0, 1)[None].astype(np.float32)
    return np.ascontiguousarray(blob), r


def decode(output: np.ndarray, size: int, ratio: float, *, score_threshold: float = 0.35,
           nms_threshold: float = 0.45, class_id: int = 0) -> list[Detection]:
    """Raw YOLOX output (N×(5+C)) → person detections in the original frame's pixels."""
    out = output.reshape(-1, output.shape[-1])
    grid, stride = make_grid(size)
    if out.shape[0] != grid.shape[0]:
        raise ModelError(f"YOLOX output has {out.shape[0]} anchors, expected {grid.shape[0]} for input {size}")
    scores = out[:, 4] * out[:, 5 + class_id]
    sel = scores >= score_threshold
    if not np.any(sel):
        return []
    o, g, st, sc = out[sel], grid[sel], stride[sel], scores[sel]
    cxcy = (o[:, :2] + g) * st
    wh = np.exp(np.clip(o[:, 2:4], -10, 10)) * st
    boxes = np.concatenate((cxcy - wh / 2, cxcy + wh / 2), axis=1) / ratio
    keep = nms([tuple(b) for b in boxes.tolist()], sc.tolist(), nms_threshold)
    return [Detection(tuple(float(v) for v in boxes[i]), float(sc[i])) for i in keep]  # type: ignore[arg-type]


def check_shapes(path: Path, inputs: list[list], outputs: list[list]) -> int:
    """The square input size of a YOLOX model with these input/output shapes, else `ModelError`."""
    shape = inputs[0] if len(inputs) == 1 else []
    if len(shape) != 4 or shape[1] != 3 or not isinstance(shape[2], int) or shape[2] != shape[3] \
            or shape[2] % 32:
        raise ModelError(f"{path}: not a YOLOX detector (input shape {inputs}, "
                         "expected 1×3×S×S with S a multiple of 32)")
    size = int(shape[2])
    anchors = sum((size // s) ** 2 for s in STRIDES)
    oshape = outputs[0] if len(outputs) == 1 else []
    if len(oshape) != 3 or oshape[1] != anchors or not isinstance(oshape[2], int) or oshape[2] < 6:
        raise ModelError(f"{path}: not a YOLOX detector (output shape {outputs}, expected 1×{anchors}×(5+classes))")
    return size


class YoloxDetector:
    """Person detector over a YOLOX ONNX model; checks the model's shapes when it loads."""

    name = "onnx"

    def __init__(self, model: Path | str, *, threads: int = 1, backend: str = "onnxruntime",
                 score_threshold: float = 0.35, nms_threshold: float = 0.45) -> None:
        path = Path(model)
        if not path.is_file():
            raise ModelError(f"{path}: model file not found")
        if backend not in BACKENDS:
            raise ModelError(f"{path}: unknown backend {backend!r} (use {', '.join(BACKENDS)})")
        self.path = path
        self.backend = backend
        self.score_threshold = score_threshold
        self.nms_threshold = nms_threshold
        self.size = self._load(path, threads)

    def _load(self, path: Path, threads: int) -> int:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidProtobuf classes
            raise ModelError(f"{path}: not a readable ONNX model ({str(exc).splitlines()[0][:160]})") from None
        ins, outs = sess.get_inputs(), sess.get_outputs()
        size = check_shapes(path, [list(i.shape) for i in ins], [list(o.shape) for o in outs])
        self._input_name = ins[0].name
        if self.backend == "onnxruntime":
            self._sess = sess
        else:
            import cv2

            try:
                self._net = cv2.dnn.readNetFromONNX(str(path))
            except cv2.error as exc:
                raise ModelError(f"{path}: OpenCV cannot load this model ({str(exc).strip()[:160]})") from None
            cv2.setNumThreads(threads)
        return size

    def infer(self, blob: np.ndarray) -> np.ndarray:
        if self.backend == "onnxruntime":
            return self._sess.run(None, {self._input_name: blob})[0]
        self._net.setInput(blob)
        return self._net.forward()

    def detect(self, frame: np.ndarray) -> list[Detection]:
        blob, ratio = letterbox(frame, self.size)
        return decode(self.infer(blob), self.size, ratio, score_threshold=self.score_threshold,
                      nms_threshold=self.nms_threshold)
