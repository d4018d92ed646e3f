import QtQuick
import Hongtu

// An image from the pack's media, or a placeholder (logged) when the file is missing or broken.
Item {
    id: root
    property url source
    property string label: ""
    property int fillMode: Image.PreserveAspectCrop
    readonly property bool failed: source == "" || img.status === Image.Error

    Image {
        id: img
        anchors.fill: parent
        source: root.source
        fillMode: root.fillMode
        asynchronous: true
        sourceSize.width: Math.min(1920, Math.max(64, root.width))
        visible: !root.failed
        onStatusChanged: if (status === Image.Error) console.warn("image failed to load, showing a placeholder:", root.source)
    }
    Rectangle {
        anchors.fill: parent
        visible: root.failed
        color: Theme.placeholder
        Column {
            anchors.centerIn: parent
            spacing: Theme.px(8)
            width: parent.width - Theme.px(16)
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: "★"
                color: Theme.gold
                font.pixelSize: Math.max(24, Math.min(root.width, root.height) / 4)
            }
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: root.label !== "" ? root.label : qsTr("Picture not available")
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
