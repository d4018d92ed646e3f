import QtQuick
import Hongtu
import Hongtu.Models

// The attract loop shown between visitors: the attract video if there is one (QtMultimedia is
// only loaded then), else a cross-fading slideshow of the pack's pictures. Any touch starts a
// visitor session (the window's input filter calls Session.touch()).
Rectangle {
    id: root
    objectName: "attract"
    color: Theme.redDark

    property int slide: 0
    readonly property var images: App.attractImages

    // slideshow: under the video, so it shows whenever the video has no frame (missing, failed,
    // still starting)
    Item {
        anchors.fill: parent
        Repeater {
            model: root.images
            Image {
                anchors.fill: parent
                source: modelData
                fillMode: Image.PreserveAspectCrop
                asynchronous: true
                sourceSize.width: 1920
                opacity: index === root.slide ? 0.55 : 0
                Behavior on opacity { NumberAnimation { duration: 1200 } }
            }
        }
        Timer {
            interval: 6000; repeat: true
            running: root.visible && root.images.length > 1
            onTriggered: root.slide = (root.slide + 1) % root.images.length
        }
    }

    Loader {
        id: video
        visible: status === Loader.Ready && !item.failed
        anchors.fill: parent
        active: App.attractVideo !== ""
        source: "AttractVideo.qml"
        onStatusChanged: if (status === Loader.Error) console.warn("attract video could not be loaded; showing the slideshow")
    }

    Rectangle {
        anchors.fill: parent
        gradient: Gradient {
            GradientStop { position: 0.0; color: "#00000000" }
            GradientStop { position: 0.6; color: "#66300000" }
            GradientStop { position: 1.0; color: "#CC300000" }
        }
    }

    Column {
        anchors { horizontalCenter: parent.horizontalCenter; bottom: parent.bottom; bottomMargin: Theme.px(120) }
        width: parent.width - Theme.margin * 2
        spacing: Theme.px(28)
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: App.packTitle
            color: Theme.goldLight
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fs(80)
            font.bold: true
            wrapMode: Text.Wrap
            style: Text.Raised; styleColor: "#40000000"
        }
        Rectangle { anchors.horizontalCenter: parent.horizontalCenter; width: Theme.px(240); height: Math.max(3, Theme.px(6)); color: Theme.gold }
        Rectangle {
            id: pill
            anchors.horizontalCenter: parent.horizontalCenter
            width: prompt.implicitWidth + Theme.px(120)
            height: prompt.implicitHeight + Theme.px(48)
            radius: height / 2
            color: Theme.gold
            SequentialAnimation on scale {
                loops: Animation.Infinite
                running: root.visible
                NumberAnimation { from: 1.0; to: 1.06; duration: 900; easing.type: Easing.InOutQuad }
                NumberAnimation { from: 1.06; to: 1.0; duration: 900; easing.type: Easing.InOutQuad }
            }
            Column {
                id: prompt
                anchors.centerIn: parent
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: "触摸屏幕 开始参观"
                    color: Theme.redDark
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fs(48)
                    font.bold: true
                }
                Text {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: "Touch to begin"
                    color: Theme.redDark
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fs(30)
                }
            }
        }
    }

    MouseArea {
        anchors.fill: parent
        onPressed: Session.touch()
    }
}
