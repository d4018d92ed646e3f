import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// The admin home: six tiles (packs, visitor figures, status, logs, PIN, quit).
AdminPage {
    id: page
    objectName: "screen-admin"
    screenName: "admin"
    title: qsTr("Admin home")

    AdminInfo { id: info }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        Text {
            Layout.fillWidth: true
            text: qsTr("Hongtu %1 · showing: %2").arg(Admin.version).arg(App.packTitle !== "" ? App.packTitle : "–")
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            elide: Text.ElideRight
        }
        Text {
            id: statsNote
            objectName: "statsNote"
            Layout.fillWidth: true
            visible: false
            text: qsTr("Visitor figures are coming in a later update.")
            color: Theme.redBright
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
        }
        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            columns: 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap

            AdminTile {
                objectName: "tilePacks"
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                symbol: "▣"
                text: qsTr("Content packs")
                subtitle: qsTr("Install from USB, roll back, remove")
                onClicked: App.go("admin_packs", {})
            }
            AdminTile {
                objectName: "tileStats"
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                symbol: "▤"
                text: qsTr("Visitor figures")
                subtitle: info.statsAvailable ? qsTr("Visitors per day and hour") : qsTr("Coming soon")
                onClicked: {
                    if (info.statsAvailable) App.go("admin_stats", {})
                    else { statsNote.visible = true; noteTimer.restart() }
                }
            }
            AdminTile {
                objectName: "tileStatus"
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                symbol: "✚"
                text: qsTr("System status")
                subtitle: qsTr("Health checks, disk space, last delivery")
                onClicked: App.go("admin_status", {})
            }
            AdminTile {
                objectName: "tileLogs"
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                symbol: "☰"
                text: qsTr("Logs")
                subtitle: qsTr("The newest entries of the kiosk's log")
                onClicked: App.go("admin_logs", {})
            }
            AdminTile {
                objectName: "tilePin"
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                symbol: "✱"
                text: qsTr("Change PIN")
                subtitle: qsTr("Old PIN, then the new one twice")
                onClicked: App.go("admin_pin", {})
            }
            AdminCameraTile { Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1 }  // issue 7
            AdminTile {
                objectName: "tileQuit"
                Layout.fillWidth: true; Layout.fillHeight: true; Layout.preferredWidth: 1
                symbol: "✕"  // not the power sign U+23FB: no bundled or Debian font has it (drew a box)
                danger: true
                text: qsTr("Quit kiosk")
                subtitle: qsTr("Close the kiosk program for maintenance")
                onClicked: page.askQuit()
            }
        }
    }

    function askQuit() { quitConfirm.open() }

    Timer { id: noteTimer; interval: 5000; onTriggered: statsNote.visible = false }

    AdminConfirm {
        ownerPage: page
        id: quitConfirm
        objectName: "quitConfirm"
        danger: true
        heading: qsTr("Quit the kiosk program?")
        text: qsTr("Visitors will see no content until the kiosk is started again (or restarts by itself).")
        confirmText: qsTr("Quit kiosk")
        onAccepted: Admin.quitKiosk()
    }
}
