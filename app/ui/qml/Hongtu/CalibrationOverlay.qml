import QtQuick
import Hongtu

// The counting line (with its "in" arrow) and the dwell zone over the calibration preview, with
// touch handles: the line's two ends, the zone's four corners, and the zone itself to move it.
Item {
    id: ov
    property var calib: null
    property rect area: Qt.rect(0, 0, width, height)   // where the picture is, in our coordinates

    readonly property var ln: calib ? calib.line : [0.1, 0.5, 0.9, 0.5]
    readonly property var zn: calib ? calib.zone : [0, 0, 1, 1]
    function px(f) { return area.x + f * area.width }
    function py(f) { return area.y + f * area.height }

    // the zone: a translucent rectangle that can be dragged as a whole
    Rectangle {
        id: zoneRect
        objectName: "calibZone"
        x: ov.px(Math.min(ov.zn[0], ov.zn[2])); y: ov.py(Math.min(ov.zn[1], ov.zn[3]))
        width: Math.abs(ov.zn[2] - ov.zn[0]) * ov.area.width
        height: Math.abs(ov.zn[3] - ov.zn[1]) * ov.area.height
        color: zoneDrag.pressed ? Qt.rgba(0.83, 0.69, 0.22, 0.30) : Qt.rgba(0.83, 0.69, 0.22, 0.14)
        border.color: Theme.gold
        border.width: Math.max(3, Theme.px(4))
        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            y: Theme.px(10)
            width: zoneLabel.implicitWidth + Theme.px(16); height: zoneLabel.implicitHeight + Theme.px(6)
            radius: Theme.px(6)
            color: Qt.rgba(0, 0, 0, 0.55)
            visible: zoneRect.width > width + Math.max(Theme.touch, 72) * 1.2 && zoneRect.height > height * 3
            Text {
                id: zoneLabel
                anchors.centerIn: parent
                text: qsTr("Dwell zone")
                color: Theme.goldLight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }
        MouseArea {
            id: zoneDrag
            anchors.fill: parent
            preventStealing: true
            property point last
            onPressed: (m) => { last = mapToItem(ov, m.x, m.y) }
            onPositionChanged: (m) => {
                if (!ov.calib || ov.area.width <= 0) return
                var p = mapToItem(ov, m.x, m.y)
                ov.calib.moveZone((p.x - last.x) / ov.area.width, (p.y - last.y) / ov.area.height)
                last = p
            }
        }
    }

    // the line and the arrow pointing to its "in" side (right of 1 → 2, as the counter counts)
    Canvas {
        id: canvas
        anchors.fill: parent
        property var l: ov.ln
        onLChanged: requestPaint()
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        Connections { target: ov; function onAreaChanged() { canvas.requestPaint() } }
        onPaint: {
            var ctx = getContext("2d")
            ctx.reset()
            var x1 = ov.px(l[0]), y1 = ov.py(l[1]), x2 = ov.px(l[2]), y2 = ov.py(l[3])
            ctx.lineCap = "round"
            ctx.strokeStyle = "rgba(0,0,0,0.45)"
            ctx.lineWidth = Math.max(8, Theme.px(12))
            ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke()
            ctx.strokeStyle = "#FF3B30"
            ctx.lineWidth = Math.max(4, Theme.px(6))
            ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke()
            var dx = x2 - x1, dy = y2 - y1, n = Math.sqrt(dx * dx + dy * dy)
            if (n < 1) return
            var mx = (x1 + x2) / 2, my = (y1 + y2) / 2
            var nx = -dy / n, ny = dx / n
            var len = Math.max(48, Theme.px(80)), head = len * 0.4
            var tx = mx + nx * len, ty = my + ny * len
            ctx.strokeStyle = "#FFFFFF"
            ctx.fillStyle = "#FF3B30"
            ctx.lineWidth = Math.max(3, Theme.px(5))
            ctx.beginPath(); ctx.moveTo(mx, my); ctx.lineTo(tx, ty); ctx.stroke()
            ctx.beginPath()
            ctx.moveTo(tx + nx * head * 0.2, ty + ny * head * 0.2)
            ctx.lineTo(tx - nx * head + dx / n * head * 0.6, ty - ny * head + dy / n * head * 0.6)
            ctx.lineTo(tx - nx * head - dx / n * head * 0.6, ty - ny * head - dy / n * head * 0.6)
            ctx.closePath(); ctx.fill(); ctx.stroke()
        }
    }
    Rectangle {  // "In" at the arrow's tip
        id: inTag
        objectName: "calibInTag"
        readonly property real n: Math.max(1, Math.sqrt(Math.pow((ov.ln[2] - ov.ln[0]) * ov.area.width, 2) + Math.pow((ov.ln[3] - ov.ln[1]) * ov.area.height, 2)))
        readonly property real nx: -(ov.ln[3] - ov.ln[1]) * ov.area.height / n
        readonly property real ny: (ov.ln[2] - ov.ln[0]) * ov.area.width / n
        readonly property real reach: Math.max(48, Theme.px(80)) * 1.15 + Math.max(width, height) / 2 + Theme.px(4)
        x: ov.px((ov.ln[0] + ov.ln[2]) / 2) + nx * reach - width / 2
        y: ov.py((ov.ln[1] + ov.ln[3]) / 2) + ny * reach - height / 2
        width: inText.implicitWidth + Theme.px(18); height: inText.implicitHeight + Theme.px(6)
        radius: height / 2
        color: "#FF3B30"
        Text {
            id: inText
            anchors.centerIn: parent
            text: qsTr("In")
            color: "white"
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
    }

    Repeater {  // zone corners: 0 top-left, 1 top-right, 2 bottom-right, 3 bottom-left
        model: 4
        CalibrationHandle {
            objectName: "zoneCorner" + index
            area: ov.area
            square: true
            colour: Theme.goldDark
            fx: (index === 0 || index === 3) ? ov.zn[0] : ov.zn[2]
            fy: (index === 0 || index === 1) ? ov.zn[1] : ov.zn[3]
            onMoved: (x, y) => { if (ov.calib) ov.calib.moveZoneCorner(index, x, y) }
        }
    }
    Repeater {  // the line's ends, 1 and 2
        model: 2
        CalibrationHandle {
            objectName: "lineEnd" + index
            area: ov.area
            colour: "#E0261B"
            label: String(index + 1)
            fx: ov.ln[index * 2]
            fy: ov.ln[index * 2 + 1]
            onMoved: (x, y) => { if (ov.calib) ov.calib.moveLineEnd(index, x, y) }
        }
    }
}
