import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// An exhibit card: thumbnail (or placeholder), title, period, summary. Tap → the exhibit page.
AbstractButton {
    id: card
    property string exhibitId: ""
    property string title: ""
    property string period: ""
    property string summary: ""
    property url thumb
    implicitWidth: Theme.px(400)
    implicitHeight: Theme.cardHeight(width)
    scale: down ? 0.97 : 1.0
    Behavior on scale { NumberAnimation { duration: 80 } }
    onClicked: App.go("exhibit", { exhibitId: card.exhibitId })

    background: Rectangle {
        radius: Theme.radius
        color: Theme.card
        border.color: card.down ? Theme.red : Theme.line
        border.width: card.down ? Math.max(3, Theme.px(4)) : Math.max(1, Theme.px(2))
    }
    contentItem: Column {
        clip: true
        spacing: Theme.px(10)
        padding: Theme.px(14)
        SmartImage {
            width: card.width - Theme.px(28)
            height: Math.round(width * 0.56)
            source: card.thumb
            label: card.title
        }
        Text {
            id: titleText
            width: card.width - Theme.px(28)
            text: card.title
            color: Theme.ink
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Text {
            width: card.width - Theme.px(28)
            visible: card.period !== ""
            text: card.period
            color: Theme.red
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }
        Text {
            width: card.width - Theme.px(28)
            visible: card.summary !== ""
            text: card.summary
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            // Theme.cardHeight keeps room for two title lines: a one-line title leaves a summary line more
            maximumLineCount: titleText.lineCount < 2 ? 3 : 2
            elide: Text.ElideRight
        }
    }
}
