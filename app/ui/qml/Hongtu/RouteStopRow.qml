import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// One stop in a route's stop list: its number, a thumbnail (exhibit) or a site marker, the title
// and a line of detail (the exhibit's period and summary, or the site's address and intro).
AbstractButton {
    id: row
    property var stop: ({})
    property bool current: false
    implicitHeight: Math.max(Theme.touch + Theme.px(16), textCol.implicitHeight + Theme.px(24), pic.height + Theme.px(24))
    scale: down ? 0.98 : 1.0
    background: Rectangle {
        radius: Theme.radius
        color: row.down ? Theme.goldLight : (row.current ? "#FBEFD8" : Theme.card)
        border.color: row.current || row.down ? Theme.red : Theme.line
        border.width: Math.max(1, Theme.px(row.current ? 3 : 2))
    }
    contentItem: Item {
        Rectangle {
            id: num
            anchors { left: parent.left; leftMargin: Theme.px(14); verticalCenter: parent.verticalCenter }
            width: Math.max(40, Theme.px(52)); height: width; radius: width / 2
            color: row.stop.kind === "site" ? Theme.red : Theme.gold
            Text {
                anchors.centerIn: parent
                text: row.stop.number || ""
                color: row.stop.kind === "site" ? Theme.goldLight : Theme.redDark
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
            }
        }
        Item {
            id: pic
            anchors { left: num.right; leftMargin: Theme.px(14); verticalCenter: parent.verticalCenter }
            width: Theme.px(150)
            // large text: a site's mark grows
            height: row.stop.kind === "site" ? Math.max(Theme.px(96), siteMark.implicitHeight + Theme.px(8)) : Theme.px(96)
            SmartImage {
                anchors.fill: parent
                visible: row.stop.kind === "exhibit"
                source: row.stop.thumb || ""
                label: ""
            }
            Rectangle {
                anchors.fill: parent
                visible: row.stop.kind === "site"
                radius: Theme.px(8)
                color: Theme.redDark
                Column {
                    id: siteMark
                    anchors.centerIn: parent
                    spacing: Theme.px(2)
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: "★"
                        color: Theme.gold
                        font.pixelSize: Theme.fontLarge
                    }
                    Text {
                        anchors.horizontalCenter: parent.horizontalCenter
                        text: qsTr("Outside site")
                        color: Theme.goldLight
                        font.family: Theme.fontFamily
                        font.pixelSize: Math.max(13, Theme.fontSmall * 0.8)
                    }
                }
            }
        }
        Column {
            id: textCol
            anchors { left: pic.right; leftMargin: Theme.px(16); right: parent.right; rightMargin: Theme.px(16); verticalCenter: parent.verticalCenter }
            spacing: Theme.px(4)
            Text {
                width: parent.width
                text: row.stop.title || ""
                color: Theme.ink
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                visible: text !== ""
                text: row.stop.kind === "site" ? (row.stop.address ? qsTr("Address: %1").arg(row.stop.address) : "")
                     : [row.stop.period || "", row.stop.summary || ""].filter(function (s) { return s !== "" }).join(" · ")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
            Text {
                width: parent.width
                visible: row.stop.kind === "site" && text !== ""
                text: row.stop.intro || ""
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
