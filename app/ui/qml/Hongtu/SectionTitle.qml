import QtQuick
import Hongtu

// A section heading with a gold rule.
Column {
    property alias text: label.text
    property alias subtitle: sub.text
    spacing: Theme.px(6)
    Row {
        spacing: Theme.px(14)
        Rectangle { width: Theme.px(10); height: label.height * 0.8; anchors.verticalCenter: parent.verticalCenter; color: Theme.red }
        Text {
            id: label
            color: Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
        }
    }
    Text {
        id: sub
        visible: text !== ""
        color: Theme.inkSoft
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }
}
