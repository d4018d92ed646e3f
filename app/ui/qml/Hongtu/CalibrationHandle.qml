import QtQuick
import Hongtu

// A touch handle of the calibration overlay, centred on a point given as fractions of the picture.
// `area` is the picture's rectangle in the parent's coordinates; dragging reports new fractions.
Item {
    id: h
    property real fx: 0
    property real fy: 0
    property rect area: Qt.rect(0, 0, 1, 1)
    property color colour: Theme.redBright
    property string label: ""
    property bool square: false
    readonly property bool pressed: ma.pressed
    signal moved(real fx, real fy)

    width: Math.max(Theme.touch, 72)
    height: width
    x: area.x + fx * area.width - width / 2
    y: area.y + fy * area.height - height / 2
    z: pressed ? 10 : 5

    Rectangle {  // the visible knob; the whole item (≥ 64 px) takes the touch
        anchors.centerIn: parent
        width: parent.width * (h.pressed ? 0.78 : 0.56)
        height: width
        radius: h.square ? Theme.px(8) : width / 2
        color: h.pressed ? Qt.lighter(h.colour, 1.3) : h.colour
        opacity: 0.92
        border.color: "white"
        border.width: Math.max(2, Theme.px(4))
        Behavior on width { NumberAnimation { duration: 80 } }
        Text {
            anchors.centerIn: parent
            text: h.label
            color: "white"
            font.family: Theme.fontFamily
            font.pixelSize: Math.max(14, parent.width * 0.45)
            font.bold: true
        }
    }
    Rectangle {  // a faint ring shows the full touch area
        anchors.fill: parent
        radius: h.square ? Theme.px(12) : width / 2
        color: "transparent"
        border.color: Qt.rgba(1, 1, 1, h.pressed ? 0.9 : 0.35)
        border.width: 2
    }
    MouseArea {
        id: ma
        anchors.fill: parent
        preventStealing: true
        property real offX: 0
        property real offY: 0
        onPressed: (m) => { offX = m.x - width / 2; offY = m.y - height / 2 }
        onPositionChanged: (m) => {
            if (!pressed || h.area.width <= 0 || h.area.height <= 0) return
            var p = mapToItem(h.parent, m.x - offX, m.y - offY)
            h.moved((p.x - h.area.x) / h.area.width, (p.y - h.area.y) / h.area.height)
        }
    }
}
