"""UI strings of the health checks on the admin System status screen (app/ops/doctor.py: NAMES, DETAILS).

The CLI prints the English; the screen looks up the check's name and its detail template here and
fills in the arguments (%1, %2 …: paths, numbers, causes).
"""

STRINGS = {
    "zh": {
        # check names
        "display": "显示屏",
        "Chinese fonts": "中文字体",
        "audio output": "音频输出",
        "speech voices": "语音合成",
        "camera": "摄像头",
        "content pack": "内容包",
        "disk space": "磁盘空间",
        "database": "数据库",
        "clock": "系统时间",
        "hub": "中心服务器",
        "status": "状态",
        # details
        "the kiosk is showing (pid %1)": "终端程序正在显示（进程 %1）",
        "Qt is set to draw off screen (QT_QPA_PLATFORM=offscreen): nothing is shown":
            "Qt 被设为离屏绘制（QT_QPA_PLATFORM=offscreen）：屏幕上不会显示任何内容",
        "screen available (%1)": "屏幕可用（%1）",
        "screen available (Windows desktop)": "屏幕可用（Windows 桌面）",
        "a screen is running (%1); the kiosk is not running": "屏幕已开启（%1），但终端程序未运行",
        "no screen: the kiosk is not running and there is no Wayland or X display (is cage or X running? see `systemctl status hongtu-kiosk`)":
            "没有屏幕：终端程序未运行，也没有 Wayland 或 X 显示（cage 或 X 是否已启动？请查看 `systemctl status hongtu-kiosk`）",
        "no screen found, but %1 could not be looked into (permission denied): run `hongtu doctor` as root or as the hongtu user":
            "未找到屏幕，但无权查看 %1：请以 root 或 hongtu 用户运行 `hongtu doctor`",
        "UI fonts built: %1 files, %2 MB; other characters from %3": "界面字体已生成：%1 个文件，%2 MB；其他字符使用 %3",
        "UI fonts not built in %1: the kiosk uses the full fonts (%2) and more memory; run `hongtu fonts build`":
            "%1 中尚未生成界面字体：终端使用完整字体（%2），占用更多内存；请运行 `hongtu fonts build`",
        "only the UI fonts (%1 files, %2 MB) have Chinese characters: rare characters show as boxes; install fonts-noto-cjk":
            "只有界面字体（%1 个文件，%2 MB）含有汉字：生僻字会显示为方框；请安装 fonts-noto-cjk",
        "no font with Chinese characters: install fonts-noto-cjk": "没有可显示汉字的字体：请安装 fonts-noto-cjk",
        "Windows audio": "Windows 音频",
        "%1 PulseAudio/PipeWire output(s)": "%1 个 PulseAudio/PipeWire 音频输出",
        "ALSA sound card present": "已有 ALSA 声卡",
        "no audio output: narration will be silent; captions still show (videos play without sound)":
            "没有音频输出：讲解无声，字幕照常显示（视频播放时没有声音）",
        "narration switched off in the config": "配置中已关闭语音讲解",
        "voices: %1": "语音：%1",
        "not available: %1": "不可用：%1",
        "visitor counting is off": "客流统计已关闭",
        "%1 delivers frames": "%1 画面正常",
        "%1: no frames from the camera; counts pause until it returns": "%1：摄像头没有画面；恢复前暂停计数",
        "%1: no frames from the video; counts pause until it returns": "%1：视频没有画面；恢复前暂停计数",
        "%1: the camera did not answer within %2 s; counts pause until it returns":
            "%1：摄像头在 %2 秒内没有响应；恢复前暂停计数",
        "%1: %2 problem(s), first: %3": "%1：%2 个问题，第一个：%3",
        "%1 (bundled or configured folder) loads cleanly": "%1（自带或配置的文件夹）加载正常",
        "%1 is installed unsigned": "%1 安装时没有签名",
        "%1 is signed by %2, which is no longer in packs.trusted_keys": "%1 的签名密钥 %2 已不在 packs.trusted_keys 中",
        "%1, signed by trusted key %2": "%1，由受信任的密钥 %2 签名",
        "only %1 MB free in %2": "%2 仅剩 %1 MB 可用空间",
        "%1 MB free in %2: old visit logs will be pruned": "%2 剩余 %1 MB：将清理较早的参观记录",
        "%1 MB free in %2": "%2 剩余 %1 MB",
        "%1 does not exist yet (the kiosk creates it at first start); %2 MB free there":
            "%1 尚不存在（终端首次启动时创建）；该处剩余 %2 MB",
        "%1 does not exist and cannot be created (%2)": "%1 不存在且无法创建（%2）",
        "%1 not created yet (made at first start)": "%1 尚未创建（首次启动时创建）",
        "%1 is damaged (%2); the kiosk will move it aside at start": "%1 已损坏（%2）；终端启动时会将其移开另存",
        "%1 passes its integrity check": "%1 完整性检查通过",
        "the database could not be checked: %1": "无法检查数据库：%1",
        "the clock says %1: visit logs would carry wrong dates": "系统时间为 %1：参观记录的日期将会出错",
        "%1 UTC": "%1（UTC 时间）",
        "no hub configured: visit logs travel by USB stick": "未配置中心服务器：参观记录通过U盘传送",
        "%1 answers (%2)": "%1 响应正常（%2）",
        "%1 answers %2: logs wait on the terminal": "%1 返回 %2：记录暂存在本终端",
        "%1 not reachable (%2): logs wait on the terminal": "无法连接 %1（%2）：记录暂存在本终端",
        "the check itself failed: %1": "检查本身出错：%1",
    },
}
