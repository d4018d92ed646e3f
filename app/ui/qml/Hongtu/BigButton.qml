import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// A large touch button with a visible pressed state. kind: "primary" (red), "gold", "ghost"
// (outlined, for light backgrounds) or "header" (on the red header bar).
AbstractButton {
    id: control
    property string kind: "primary"
    property string subtitle: ""
    property int fontSize: Theme.fontButton
    implicitHeight: Math.max(Theme.touch, content.implicitHeight + Theme.px(24))
    implicitWidth: Math.max(Theme.touch, contentItem.implicitWidth + leftPadding + rightPadding)
    leftPadding: Theme.px(28)
    rightPadding: Theme.px(28)
    focusPolicy: Qt.StrongFocus

    readonly property color fill: kind === "gold" ? Theme.gold
                                 : kind === "ghost" ? Theme.card
                                 : kind === "header" ? Theme.redDark : Theme.red
    readonly property color fg: kind === "gold" ? Theme.redDark
                               : kind === "ghost" ? Theme.red : Theme.goldLight

    scale: down ? 0.96 : 1.0
    Behavior on scale { NumberAnimation { duration: 80 } }

    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Qt.darker(control.fill, 1.25) : control.fill
        border.width: control.kind === "ghost" || control.kind === "header" || control.visualFocus ? Math.max(2, Theme.px(3)) : 0
        border.color: control.visualFocus ? Theme.goldDark : (control.kind === "header" ? Theme.gold : Theme.red)
        opacity: control.enabled ? 1 : 0.5
    }
    // a label longer than the button is wide wraps (two lines at most, then "…")
    // (the natural widths come from TextMetrics: a wrapping Text's implicitWidth follows its width,
    // which here follows the natural width — a binding loop)
    contentItem: Item {
      implicitWidth: Math.ceil(Math.max(labelMetrics.advanceWidth, sub.visible ? subMetrics.advanceWidth : 0))
      implicitHeight: content.implicitHeight
      TextMetrics { id: labelMetrics; font: label.font; text: control.text }
      TextMetrics { id: subMetrics; font: sub.font; text: control.subtitle }
      Column {
        id: content
        anchors.centerIn: parent
        width: Math.min(parent.width, parent.implicitWidth)
        spacing: Theme.px(4)
        Text {
            id: label
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: control.text
            color: control.fg
            font.family: Theme.fontFamily
            font.pixelSize: control.fontSize
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Text {
            id: sub
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            visible: control.subtitle !== ""
            text: control.subtitle
            color: control.fg
            opacity: 0.85
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
      }
    }
}
