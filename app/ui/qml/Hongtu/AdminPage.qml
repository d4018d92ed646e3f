import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Base of the staff admin screens: a dark header (so staff see at once they are in admin mode) with
// Back (to the admin home), the title, the language switch and "Exit admin mode".
Page {
    id: page
    property string screenName: ""
    default property alias content: body.data
    property bool canLeave: true     // false while an install runs
    signal leaving()                 // the screen is covered or removed: dialogs close
    StackView.onDeactivating: leaving()
    StackView.onRemoved: leaving()
    title: ""
    padding: 0
    background: Rectangle { color: "#F4EFE6" }

    Rectangle {
        id: bar
        objectName: "adminHeader"
        anchors { left: parent.left; right: parent.right; top: parent.top }
        height: Theme.headerHeight
        color: "#3A2A22"
        Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: Math.max(3, Theme.px(5)); color: Theme.gold }

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.margin
            anchors.rightMargin: Theme.margin
            anchors.bottomMargin: Theme.px(5)
            spacing: Theme.gap

            BigButton {
                objectName: "adminBack"
                visible: page.screenName !== "admin"
                enabled: page.canLeave
                kind: "header"
                text: "‹ " + qsTr("Admin home")
                onClicked: App.back()
            }
            Column {
                Layout.fillWidth: true
                spacing: 0
                Text {
                    width: parent.width
                    text: qsTr("Staff admin mode")
                    color: Theme.gold
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
                Text {
                    width: parent.width
                    text: page.title
                    color: Theme.goldLight
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    elide: Text.ElideRight
                }
            }
            BigButton {
                objectName: "adminLanguage"
                kind: "header"
                text: App.language === "zh" ? "English" : "中文"
                fontSize: Theme.fontBody
                onClicked: App.toggleLanguage()
            }
            BigButton {
                objectName: "adminExit"
                kind: "gold"
                enabled: page.canLeave
                text: qsTr("Exit admin mode")
                fontSize: Theme.fontBody
                onClicked: Admin.exitAdmin()
            }
        }
    }
    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom }
        clip: true
    }
}
