import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// A selectable pill (tags, child halls); at least a full touch target high.
AbstractButton {
    id: chip
    property bool selected: false
    implicitHeight: Theme.touch
    implicitWidth: Math.max(Theme.touch, label.implicitWidth + Theme.px(48))
    scale: down ? 0.96 : 1.0
    background: Rectangle {
        radius: height / 2
        color: chip.selected ? Theme.red : (chip.down ? Theme.goldLight : Theme.card)
        border.color: chip.selected ? Theme.redDark : Theme.gold
        border.width: Math.max(2, Theme.px(2))
    }
    contentItem: Text {
        id: label
        text: chip.text
        color: chip.selected ? Theme.goldLight : Theme.red
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
}
