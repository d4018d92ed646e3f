import QtQuick
import Hongtu

// One headline figure on the visitor-figures screen: a big number over its label.
Rectangle {
    id: tile
    property string label: ""
    property string value: "–"
    property color accent: Theme.red
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.line
    border.width: Math.max(1, Theme.px(2))
    implicitHeight: col.implicitHeight + Theme.px(28)
    Rectangle { width: Theme.px(8); height: parent.height - Theme.px(24); anchors.verticalCenter: parent.verticalCenter; x: Theme.px(12); radius: width / 2; color: tile.accent }
    Column {
        id: col
        anchors { left: parent.left; right: parent.right; top: parent.top; topMargin: Theme.px(14); leftMargin: Theme.px(32); rightMargin: Theme.px(12) }
        spacing: Theme.px(2)
        Text {
            width: parent.width
            text: tile.value
            color: Theme.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            elide: Text.ElideRight
        }
        Text {
            width: parent.width
            text: tile.label
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
}
