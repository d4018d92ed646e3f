import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu

// A numeric PIN pad: dots for the digits typed (the digits themselves stay in Python), keys 0–9,
// backspace, OK and cancel. Used to open admin mode and to change the PIN.
Rectangle {
    id: pad
    property string title: ""
    property string message: ""
    property bool messageIsError: true
    property int length: 0
    property int maxLength: 12
    property bool keysEnabled: true
    property bool busy: false
    property bool showCancel: true
    signal digit(int d)
    signal backspace()
    signal ok()
    signal cancel()

    readonly property int key: Math.max(64, Theme.px(112))
    readonly property int keyGap: Math.max(8, Theme.px(14))
    implicitWidth: col.width + Theme.px(64)
    implicitHeight: col.implicitHeight + Theme.px(48)
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.gold
    border.width: Math.max(2, Theme.px(3))

    Column {
        id: col
        anchors.centerIn: parent
        width: Math.max(pad.key * 3 + pad.keyGap * 2, Theme.px(520))
        spacing: Math.max(8, Theme.px(16))

        Text {
            width: parent.width
            text: pad.title
            horizontalAlignment: Text.AlignHCenter
            color: Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontLarge
            font.bold: true
            wrapMode: Text.Wrap
        }
        // the dots
        Rectangle {
            objectName: "pinDots"
            width: parent.width
            height: Math.max(48, Theme.px(64))
            radius: Theme.radius
            color: Theme.paper
            border.color: Theme.line
            Row {
                anchors.centerIn: parent
                spacing: Theme.px(14)
                Repeater {
                    model: pad.length
                    Rectangle { width: Theme.px(22); height: width; radius: width / 2; color: Theme.ink }
                }
            }
            Text {
                anchors.centerIn: parent
                visible: pad.length === 0
                text: pad.busy ? qsTr("Checking…") : qsTr("Enter PIN")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
        Text {
            objectName: "pinMessage"
            width: parent.width
            height: Math.max(implicitHeight, Theme.fontBody * 2.6)
            text: pad.message
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            color: pad.messageIsError ? Theme.redBright : Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: pad.messageIsError
            wrapMode: Text.Wrap
        }
        Grid {
            anchors.horizontalCenter: parent.horizontalCenter
            columns: 3
            spacing: pad.keyGap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "back", "0", "ok"]
                delegate: AbstractButton {
                    id: k
                    objectName: "pinKey-" + modelData
                    width: pad.key
                    height: pad.key
                    enabled: pad.keysEnabled && !pad.busy
                             && (modelData === "back" ? pad.length > 0
                                 : modelData === "ok" ? pad.length > 0
                                 : pad.length < pad.maxLength)
                    scale: down ? 0.94 : 1
                    onClicked: {
                        if (modelData === "back") pad.backspace()
                        else if (modelData === "ok") pad.ok()
                        else pad.digit(parseInt(modelData))
                    }
                    background: Rectangle {
                        radius: Theme.radius
                        color: modelData === "ok" ? (k.down ? Theme.redDark : Theme.red)
                             : (k.down ? Theme.goldLight : Theme.paper)
                        border.color: modelData === "ok" ? Theme.redDark : Theme.gold
                        border.width: Math.max(2, Theme.px(2))
                        opacity: k.enabled ? 1 : 0.4
                    }
                    contentItem: Text {
                        text: modelData === "back" ? "⌫" : modelData === "ok" ? qsTr("OK") : modelData
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        color: modelData === "ok" ? Theme.goldLight : Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: modelData === "ok" ? Theme.fontLarge : Math.round(pad.key * 0.42)
                        font.bold: true
                    }
                }
            }
        }
        BigButton {
            objectName: "pinCancel"
            visible: pad.showCancel
            width: parent.width
            kind: "ghost"
            text: qsTr("Cancel")
            onClicked: pad.cancel()
        }
    }
}
