"""UI strings of camera counting in admin mode: the camera tile and the calibration screen (issue 7)."""

STRINGS = {
    "zh": {
        "Camera counting": "摄像头计数",
        "Camera lost · reconnecting in %1 s": "摄像头中断 · %1 秒后重连",
        "Camera lost · reconnecting": "摄像头中断 · 正在重连",
        "Cancel": "取消",
        "Counting is off in the config (vision.enabled): the camera runs only while this screen is open, and nothing is logged.":
            "配置中未开启计数（vision.enabled）：摄像头仅在本页面打开时运行，不记录任何数据。",
        "Counting is off": "计数未开启",
        "Counting": "正在计数",
        "Debug recording is ON: annotated camera frames are being saved until %1 (UTC), then it switches itself off.":
            "调试录像已开启：正在保存带标注的摄像头画面，直到 %1（UTC），之后自动关闭。",
        "Detector: %1": "检测器：%1",
        "Drag the red ends 1 and 2 to place the counting line across the passage; people crossing towards the arrow count as in. Drag the gold corners (or the zone itself) around where visitors stand.":
            "拖动红色端点 1 和 2，把计数线横跨通道放置；朝箭头方向越线的人计为“进入”。拖动金色角点（或整个区域），框住观众驻足的位置。",
        "Dwell zone": "驻留区域",
        "Error": "出错",
        "Flip direction": "反转方向",
        "In": "进入",
        "Inside now": "当前在场",
        "No camera · retrying in %1 s": "未连接摄像头 · %1 秒后重试",
        "No camera": "未连接摄像头",
        "No picture": "没有画面",
        "Not saved: %1": "未保存：%1",
        "Not saved: no picture from the camera yet. The line and zone are checked against the camera's frame.":
            "未保存：摄像头尚无画面。计数线和区域需要按摄像头画面尺寸校验。",
        "Not saved: the kiosk runs without a config file.": "未保存：终端当前没有配置文件。",
        "Not started": "尚未开始",
        "Note: %1 is set and overrides the file.": "注意：已设置 %1，它优先于配置文件。",
        "Out": "离开",
        "Save": "保存",
        "Saved to %1. The counter restarted with the new line and zone.": "已保存到 %1。计数器已按新的计数线和区域重新启动。",
        "Source: %1": "视频源：%1",
        "Starting…": "正在启动…",
        "Stopped": "已停止",
        "The preview stays in memory and stops when you leave this screen; no picture is ever saved.":
            "预览画面只保存在内存中，离开本页面即停止；任何画面都不会存盘。",
        "Visitors in zone": "区域内观众",
        "Waiting for the picture…": "正在等待画面…",
        "in %1 · out %2 · visitors %3": "进入 %1 · 离开 %2 · 观众 %3",
    },
}
