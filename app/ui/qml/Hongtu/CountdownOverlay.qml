import QtQuick
import Hongtu
import Hongtu.Models

// "Still there?" — shown for the last seconds of an idle session. Any touch continues it.
Rectangle {
    id: root
    objectName: "countdown"
    color: "#B3200000"

    MouseArea { objectName: "countdownTapAnywhere"; anchors.fill: parent; onPressed: Session.touch() }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.margin * 2, Theme.px(900))
        height: box.implicitHeight + Theme.margin * 2
        radius: Theme.radius * 2
        color: Theme.paper
        border.color: Theme.gold
        border.width: Math.max(3, Theme.px(6))
        Column {
            id: box
            anchors.centerIn: parent
            width: parent.width - Theme.margin * 2
            spacing: Theme.gap
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("Are you still there?")
                color: Theme.red
                font.family: Theme.titleFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "countdownNumber"
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: Session.countdown
                color: Theme.red
                font.family: Theme.titleFamily
                font.pixelSize: Theme.fs(140)
                font.bold: true
            }
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("The exhibition will restart for the next visitor.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            BigButton {
                objectName: "continueButton"
                anchors.horizontalCenter: parent.horizontalCenter
                text: qsTr("Continue")
                onClicked: Session.touch()
            }
        }
    }
}
