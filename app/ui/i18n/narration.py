"""UI strings of the narration bar."""

STRINGS = {
    "zh": {
        "Listen": "收听讲解",
        "Pause": "暂停",
        "Resume": "继续",
        "Preparing…": "正在准备…",
        "Stop": "停止",
        "Quieter": "减小音量",
        "Louder": "增大音量",
        "Volume %1": "音量 %1",
        "Narration unavailable": "语音讲解暂不可用",
        "Narration failed": "语音讲解失败",
        "No sound on this terminal: captions only": "本机没有音频输出：仅显示字幕",
    },
}
