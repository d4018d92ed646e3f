import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// Browse by theme: one large chip per tag of the pack (label and number of exhibits, most used
// first, from Catalog.tags()). A tap opens the exhibits screen filtered by that theme.
Flow {
    id: root
    objectName: "tagBrowser"
    spacing: Theme.px(16)
    property var tags: App.tags
    readonly property int count: repeater.count

    Repeater {
        id: repeater
        model: root.tags
        delegate: AbstractButton {
            id: chip
            objectName: "tag-" + modelData.tagId
            implicitHeight: Theme.touch
            implicitWidth: Math.min(root.width, row.implicitWidth + Theme.px(56))
            scale: down ? 0.96 : 1.0
            Behavior on scale { NumberAnimation { duration: 80 } }
            onClicked: App.go("exhibits", { tag: modelData.tagId })
            background: Rectangle {
                radius: height / 2
                color: chip.down ? Theme.goldLight : Theme.card
                border.color: chip.down ? Theme.red : Theme.gold
                border.width: Math.max(2, Theme.px(3))
            }
            contentItem: Item {
                Row {
                    id: row
                    anchors.centerIn: parent
                    spacing: Theme.px(14)
                    Text {
                        id: label
                        anchors.verticalCenter: parent.verticalCenter
                        width: Math.min(implicitWidth, root.width - Theme.px(56) - badge.width - parent.spacing)
                        text: modelData.label
                        color: Theme.red
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Rectangle {
                        id: badge
                        anchors.verticalCenter: parent.verticalCenter
                        height: Math.round(Theme.fontSmall * 1.6)
                        width: Math.max(height, num.implicitWidth + Theme.px(20))
                        radius: height / 2
                        color: Theme.red
                        Text {
                            id: num
                            anchors.centerIn: parent
                            text: modelData.count
                            color: Theme.goldLight
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                        }
                    }
                }
            }
        }
    }
}
