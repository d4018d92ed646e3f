import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// A hall tile: level badge, name, the first lines of its intro. Tap → the hall screen.
AbstractButton {
    id: card
    property string hallId: ""
    property string name: ""
    property string intro: ""
    property string level: "city"
    property bool prominent: level === "province"
    implicitHeight: Math.max(Theme.touch, col.implicitHeight + Theme.px(32))
    scale: down ? 0.97 : 1.0
    Behavior on scale { NumberAnimation { duration: 80 } }
    onClicked: App.go("hall", { hallId: card.hallId })

    background: Rectangle {
        radius: Theme.radius
        gradient: Gradient {
            GradientStop { position: 0; color: card.prominent ? Theme.red : Theme.card }
            GradientStop { position: 1; color: card.prominent ? Theme.redDark : (card.down ? Theme.goldLight : Theme.card) }
        }
        border.color: card.down ? Theme.red : Theme.gold
        border.width: Math.max(2, Theme.px(card.down ? 4 : 2))
    }
    contentItem: Column {
        id: col
        spacing: Theme.px(8)
        padding: Theme.px(16)
        Text {
            text: card.level === "province" ? qsTr("Province hall") : card.level === "city" ? qsTr("City hall") : qsTr("County hall")
            color: card.prominent ? Theme.gold : Theme.goldDark
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Text {
            width: card.width - Theme.px(32)
            text: card.name
            color: card.prominent ? Theme.goldLight : Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: card.prominent ? Theme.fontTitle : Theme.fontBody
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Text {
            width: card.width - Theme.px(32)
            visible: card.intro !== ""
            text: card.intro
            color: card.prominent ? "#F8EDE0" : Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            maximumLineCount: card.prominent ? 3 : 2
            elide: Text.ElideRight
        }
    }
}
