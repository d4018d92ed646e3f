import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Logs: the newest entries of the kiosk's log, newest first, in a scrollable list.
AdminPage {
    id: page
    objectName: "screen-admin-logs"
    screenName: "admin_logs"
    title: qsTr("Logs")

    AdminLogsModel { id: logs; objectName: "adminLogsModel" }

    function levelColor(l) { return l === "ERROR" || l === "CRITICAL" ? Theme.redBright : l === "WARNING" ? "#9A5B00" : Theme.inkSoft }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap
        RowLayout {
            Layout.fillWidth: true
            SectionTitle { Layout.fillWidth: true; text: qsTr("Newest entries first (%1)").arg(logList.count) }
            BigButton {
                objectName: "logsRefresh"
                kind: "ghost"
                fontSize: Theme.fontBody
                text: qsTr("Refresh")
                onClicked: logs.refresh()
            }
        }
        Text {
            visible: logs.loaded && logList.count === 0
            Layout.fillWidth: true
            text: logs.error !== "" ? logs.error : qsTr("The log is empty.")
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }
        ListView {
            id: logList
            objectName: "logList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: logs.entries
            ScrollBar.vertical: ScrollBar { width: Math.max(16, Theme.px(20)); policy: ScrollBar.AlwaysOn }
            delegate: Rectangle {
                width: logList.width - Math.max(16, Theme.px(20)) - Theme.px(8)
                height: entry.implicitHeight + Theme.px(16)
                color: index % 2 ? Theme.paper : Theme.card
                Column {
                    id: entry
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(12) }
                    spacing: Theme.px(2)
                    Text {
                        width: parent.width
                        text: modelData.ts + "   " + modelData.level + "   " + modelData.logger
                        color: page.levelColor(modelData.level)
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: modelData.level !== "INFO" && modelData.level !== "DEBUG"
                        elide: Text.ElideRight
                    }
                    Text {
                        width: parent.width
                        text: modelData.msg
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        maximumLineCount: 4
                        elide: Text.ElideRight
                    }
                }
            }
        }
    }
}
