import QtQuick
import Hongtu

// A drawn tick ("right") or cross ("wrong") in a filled circle, so right and wrong never rest on
// colour alone (and need no symbol font).
Item {
    id: mark
    property string kind: "right"
    property color fill: kind === "right" ? QuizColors.good : Theme.redBright
    property color ink: "white"
    implicitWidth: Math.max(Theme.px(40), 28)
    implicitHeight: implicitWidth

    Rectangle { anchors.fill: parent; radius: width / 2; color: mark.fill }
    Canvas {
        id: canvas
        anchors.fill: parent
        onWidthChanged: requestPaint()
        onHeightChanged: requestPaint()
        onPaint: {
            var ctx = getContext("2d")
            ctx.reset()
            var w = width, h = height
            ctx.strokeStyle = mark.ink
            ctx.lineWidth = Math.max(3, w * 0.13)
            ctx.lineCap = "round"
            ctx.lineJoin = "round"
            ctx.beginPath()
            if (mark.kind === "right") {
                ctx.moveTo(w * 0.27, h * 0.53); ctx.lineTo(w * 0.44, h * 0.70); ctx.lineTo(w * 0.75, h * 0.34)
            } else {
                ctx.moveTo(w * 0.33, h * 0.33); ctx.lineTo(w * 0.67, h * 0.67)
                ctx.moveTo(w * 0.67, h * 0.33); ctx.lineTo(w * 0.33, h * 0.67)
            }
            ctx.stroke()
        }
    }
    onKindChanged: canvas.requestPaint()
    onInkChanged: canvas.requestPaint()
}
