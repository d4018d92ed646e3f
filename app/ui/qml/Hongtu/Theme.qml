pragma Singleton
import QtQuick
import Hongtu.Models

// Colours, spacing and type sizes. `scale` follows the window (1.0 at 1920×1080), `textScale`
// follows the visitor's large-text switch. Touch targets never go below 64 px.
QtObject {
    property real scale: 1.0
    readonly property real textScale: App.largeText ? 1.3 : 1.0

    readonly property color red: "#8B0000"
    readonly property color redDark: "#5E0000"
    readonly property color redBright: "#B3261E"
    readonly property color gold: "#D4AF37"
    readonly property color goldLight: "#F1DC9C"
    readonly property color goldDark: "#9C7A1C"
    readonly property color paper: "#FAF5EA"
    readonly property color card: "#FFFFFF"
    readonly property color line: "#E5D6B8"
    readonly property color ink: "#2A1A12"
    readonly property color inkSoft: "#6B5446"
    readonly property color placeholder: "#EFE4CF"

    readonly property string fontFamily: App.fontFamily    // the UI fonts (app/fonts.py), or Noto CJK
    readonly property string titleFamily: App.titleFamily

    function px(v) { return Math.round(v * scale) }
    function fs(v) { return Math.round(v * Math.max(scale, 0.75) * textScale) }

    readonly property int touch: Math.max(64, px(84))     // minimum interactive size
    readonly property int margin: px(48)
    readonly property int gap: px(24)
    readonly property int radius: px(14)
    readonly property int headerHeight: Math.max(touch + px(24), px(112))

    // height of an ExhibitCard of width w: picture (16:9-ish), 2 title lines, period, 2 summary lines
    function cardHeight(w) {
        return Math.round((w - px(28)) * 0.56 + fontBody * 2.9 + fontSmall * 4.6 + px(28) + px(34))
    }

    readonly property int fontSmall: fs(20)
    readonly property int fontBody: fs(26)
    readonly property int fontLarge: fs(32)
    readonly property int fontTitle: fs(44)
    readonly property int fontHero: fs(64)
    readonly property int fontButton: fs(28)
}
