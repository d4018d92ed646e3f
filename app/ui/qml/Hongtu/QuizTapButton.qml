import QtQuick
import Hongtu

// A BigButton look-alike driven by a TapHandler: each one grabs its own touch point, so buttons in
// the two PK halves work for two people at the same time. kind: "primary" | "gold" | "ghost".
Rectangle {
    id: btn
    property string text: ""
    property string kind: "primary"
    property bool enabled_: true
    property int fontSize: Theme.fontButton
    property color accent: Theme.red
    readonly property bool pressed: tap.pressed
    signal clicked()

    implicitHeight: Math.max(Theme.touch, label.implicitHeight + Theme.px(24))
    implicitWidth: Math.max(Theme.touch, label.implicitWidth + Theme.px(56))
    radius: Theme.radius
    readonly property color fill: kind === "gold" ? Theme.gold : kind === "ghost" ? Theme.card : accent
    readonly property color fg: kind === "gold" ? Theme.redDark : kind === "ghost" ? accent : Theme.goldLight
    color: pressed ? Qt.darker(fill, 1.25) : fill
    border.width: kind === "ghost" ? Math.max(2, Theme.px(3)) : 0
    border.color: accent
    opacity: enabled_ ? 1 : 0.45
    scale: pressed ? 0.96 : 1.0
    Behavior on scale { NumberAnimation { duration: 80 } }

    Text {
        id: label
        anchors.centerIn: parent
        width: Math.min(implicitWidth, btn.width - Theme.px(24))
        text: btn.text
        color: btn.fg
        font.family: Theme.fontFamily
        font.pixelSize: btn.fontSize
        font.bold: true
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
    }
    TapHandler {
        id: tap
        enabled: btn.enabled_ && btn.visible
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: btn.clicked()
    }
}
