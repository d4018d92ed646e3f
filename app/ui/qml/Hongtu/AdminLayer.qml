import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// On top of every screen (Main.qml): the PIN pad that the hidden corner gesture opens. The gesture
// itself is a window event filter (app/ui/viewmodels/admin.py), so nothing here covers the header's
// buttons; with the pad closed this layer takes no input at all.
Item {
    id: adminLayer
    objectName: "adminLayer"

    Loader {
        anchors.fill: parent
        active: Admin.pinVisible
        sourceComponent: Rectangle {
            objectName: "pinOverlay"
            color: "#CC1A0F0A"
            MouseArea { anchors.fill: parent }  // the screens below take no touches while the pad shows

            PinPad {
                id: pad
                objectName: "adminPinPad"
                anchors.centerIn: parent
                title: qsTr("Staff admin mode")
                length: Admin.pinLength
                maxLength: Admin.maxPin
                busy: Admin.busy
                keysEnabled: Admin.pinSet && Admin.lockedSeconds === 0
                messageIsError: Admin.messageKind !== ""
                message: Admin.messageKind === "unset"
                         ? qsTr("No admin PIN is set on this kiosk. A technician sets one with the command: hongtu admin set-pin")
                         : Admin.messageKind === "locked" || Admin.lockedSeconds > 0
                         ? qsTr("Too many wrong PINs. Admin mode is locked. Try again in %1.").arg(adminLayer.duration(Admin.lockedSeconds))
                         : Admin.messageKind === "wrong"
                         ? (Admin.attemptsLeft === 1 ? qsTr("Wrong PIN. 1 attempt left before admin mode locks.")
                                                     : qsTr("Wrong PIN. %1 attempts left before admin mode locks.").arg(Admin.attemptsLeft))
                         : Admin.messageKind === "error" ? Admin.message
                         : qsTr("Enter the admin PIN and tap OK.")
                onDigit: (d) => Admin.pinDigit(d)
                onBackspace: Admin.pinBackspace()
                onOk: Admin.pinOk()
                onCancel: Admin.cancelPin()
            }
        }
    }

    function duration(s) {
        var m = Math.floor(s / 60), r = s % 60
        return m > 0 ? qsTr("%1 min %2 s").arg(m).arg(r < 10 ? "0" + r : r) : qsTr("%1 s").arg(s)
    }
}
