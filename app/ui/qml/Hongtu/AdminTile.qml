import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// A large tile on the admin home: a symbol, a label and one line of explanation.
AbstractButton {
    id: tile
    property string symbol: ""
    property string subtitle: ""
    property bool danger: false
    implicitHeight: Math.max(Theme.touch * 2, Theme.px(220))
    scale: down ? 0.97 : 1
    Behavior on scale { NumberAnimation { duration: 80 } }

    background: Rectangle {
        radius: Theme.radius
        color: tile.down ? Theme.goldLight : Theme.card
        border.color: tile.danger ? Theme.redBright : Theme.gold
        border.width: Math.max(2, Theme.px(3))
        opacity: tile.enabled ? 1 : 0.5
    }
    contentItem: Item {
      implicitHeight: tileCol.implicitHeight
      Column {
        id: tileCol
        anchors.verticalCenter: parent.verticalCenter
        width: parent.width
        spacing: Theme.px(8)
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: tile.symbol
            color: tile.danger ? Theme.redBright : Theme.red
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fs(56)
        }
        Text {
            width: parent.width
            text: tile.text
            horizontalAlignment: Text.AlignHCenter
            color: tile.danger ? Theme.redBright : Theme.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            wrapMode: Text.Wrap
        }
        Text {
            width: parent.width - Theme.px(24)
            anchors.horizontalCenter: parent.horizontalCenter
            text: tile.subtitle
            horizontalAlignment: Text.AlignHCenter
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
      }
    }
}
