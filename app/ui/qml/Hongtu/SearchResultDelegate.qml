import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// One search result: thumbnail, title with the match highlighted, period, snippet. Tap → exhibit.
AbstractButton {
    id: row
    property string exhibitId: ""
    property string titleHtml: ""
    property string title: ""
    property string period: ""
    property string snippetHtml: ""
    property url thumb
    signal open(string exhibitId)
    implicitHeight: Math.max(Theme.touch, thumbBox.height + Theme.px(28), textCol.implicitHeight + Theme.px(28))
    scale: down ? 0.98 : 1.0
    Behavior on scale { NumberAnimation { duration: 80 } }
    onClicked: row.open(row.exhibitId)

    background: Rectangle {
        radius: Theme.radius
        color: row.down ? "#FFF6E0" : Theme.card
        border.color: row.down ? Theme.red : Theme.line
        border.width: row.down ? Math.max(3, Theme.px(4)) : Math.max(1, Theme.px(2))
    }
    contentItem: Item {
        SmartImage {
            id: thumbBox
            x: Theme.px(14)
            y: Theme.px(14)
            width: Theme.px(240)
            height: Math.round(width * 0.56)
            source: row.thumb
            label: ""
        }
        Column {
            id: textCol
            anchors { left: thumbBox.right; leftMargin: Theme.px(20); right: parent.right; rightMargin: Theme.px(20); verticalCenter: parent.verticalCenter }
            spacing: Theme.px(6)
            Text {
                width: parent.width
                text: row.titleHtml !== "" ? row.titleHtml : row.title
                textFormat: Text.StyledText
                color: Theme.ink
                font.family: Theme.titleFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                visible: row.period !== ""
                text: row.period
                color: Theme.red
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                visible: row.snippetHtml !== ""
                text: row.snippetHtml
                textFormat: Text.StyledText
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
