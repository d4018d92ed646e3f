import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Change PIN on the pad: the current PIN, then the new one twice.
AdminPage {
    id: page
    objectName: "screen-admin-pin"
    screenName: "admin_pin"
    title: qsTr("Change PIN")

    AdminPinChange { id: chg; objectName: "adminPinChange" }

    PinPad {
        objectName: "changePinPad"
        anchors.centerIn: parent
        visible: chg.stage !== "done"
        showCancel: false
        length: chg.length
        busy: chg.busy
        title: chg.stage === "old" ? qsTr("Step 1 of 3: the current PIN")
             : chg.stage === "new" ? qsTr("Step 2 of 3: the new PIN (4 to 12 digits)")
             : qsTr("Step 3 of 3: the new PIN again")
        messageIsError: chg.messageKind !== ""
        message: chg.messageKind === "wrong" ? qsTr("The current PIN is wrong.")
               : chg.messageKind === "format" ? qsTr("The PIN must be 4 to 12 digits.")
               : chg.messageKind === "mismatch" ? qsTr("The two new PINs differ. Enter the new PIN again.")
               : chg.messageKind === "locked" ? qsTr("Too many wrong PINs. Try again in %1 s.").arg(chg.message)
               : chg.messageKind === "error" ? chg.message
               : qsTr("Digits are shown as dots.")
        onDigit: (d) => chg.digit(d)
        onBackspace: chg.backspace()
        onOk: chg.ok()
    }
    Column {
        objectName: "pinChanged"
        anchors.centerIn: parent
        visible: chg.stage === "done"
        spacing: Theme.margin
        Text {
            anchors.horizontalCenter: parent.horizontalCenter
            text: "✔ " + qsTr("The PIN was changed.")
            color: "#1E6B34"
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
        }
        BigButton {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Back to admin home")
            onClicked: App.back()
        }
    }
}
