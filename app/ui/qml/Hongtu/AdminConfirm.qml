import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu

// A modal question with two big buttons. open() shows it; `accepted` fires on the confirm button.
Popup {
    id: dlg
    property string heading: ""
    property string text: ""
    property string confirmText: qsTr("Confirm")
    property bool danger: false
    property Item ownerPage: null  // the AdminPage it belongs to: the dialog closes when that screen goes
    signal accepted()

    Connections {
        target: dlg.ownerPage
        ignoreUnknownSignals: true
        function onLeaving() { dlg.close() }
    }

    parent: Overlay.overlay
    anchors.centerIn: parent
    width: Math.min(parent ? parent.width - Theme.margin * 2 : 800, Theme.px(980))
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape
    padding: Theme.margin
    Overlay.modal: Rectangle { color: "#991A0F0A" }
    background: Rectangle { radius: Theme.radius; color: Theme.card; border.color: Theme.gold; border.width: Math.max(2, Theme.px(3)) }

    contentItem: ColumnLayout {
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            text: dlg.heading
            color: dlg.danger ? Theme.redBright : Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            text: dlg.text
            color: Theme.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.gap
            spacing: Theme.gap
            Item { Layout.fillWidth: true }
            BigButton {
                objectName: "confirmNo"
                kind: "ghost"
                text: qsTr("Cancel")
                onClicked: dlg.close()
            }
            BigButton {
                objectName: "confirmYes"
                kind: "primary"
                text: dlg.confirmText
                onClicked: { dlg.close(); dlg.accepted() }
            }
        }
    }
}
