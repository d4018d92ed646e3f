import QtQuick
import Hongtu
import Hongtu.Models

// The attract loop shown between visitors: the attract video if there is one (QtMultimedia is
// only loaded then), else a cross-fading slideshow of the pack's pictures (the pack map first),
// above a band with the pack's title and the prompt. Any touch starts a visitor session (the
// window's input filter calls Session.touch()).
Rectangle {
    id: root
    objectName: "attract"
    color: Theme.redDark

    property int slide: 0
    readonly property var images: App.attractImages

    // The picture stage: the video, else the slideshow, shown as they are (not dimmed: a pack
    // map's own legend and hall names stay readable) and fitted whole above the title band, so
    // nothing of the picture shows behind the title or the prompt.
    Rectangle {
        id: stage
        objectName: "attractStage"
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: band.top }
        color: "#25070B"  // the deep red-black of a red map's ground: a fitted map shows no frame
        clip: true
        Repeater {
            model: root.images
            Image {
                objectName: "attractSlide" + index
                anchors.fill: parent
                source: modelData
                fillMode: Image.PreserveAspectFit
                asynchronous: true
                sourceSize.width: 1920
                smooth: true
                opacity: index === root.slide ? 1 : 0
                Behavior on opacity { enabled: App.animate; NumberAnimation { duration: 1200 } }
            }
        }
        Timer {
            interval: 6000; repeat: true
            running: root.visible && root.images.length > 1
            onTriggered: root.slide = (root.slide + 1) % root.images.length
        }
        // the attract video on top of the slideshow, which shows whenever the video has no frame
        // (missing, failed, still starting)
        Loader {
            id: video
            visible: status === Loader.Ready && !item.failed
            // a 16:9 box (media/attract.mp4 is 16:9): the video's crop-to-fill then crops nothing
            anchors.centerIn: parent
            width: Math.min(parent.width, parent.height * 16 / 9)
            height: width * 9 / 16
            active: App.attractVideo !== ""
            source: "AttractVideo.qml"
            onStatusChanged: if (status === Loader.Error) console.warn("attract video could not be loaded; showing the slideshow")
        }
    }

    // the title band: opaque, under the stage, the pack's title and the "touch to begin" prompt
    Rectangle {
        id: band
        objectName: "attractBand"
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: bandRow.implicitHeight + Theme.px(56) * 2
        color: Theme.redDark
        Rectangle { width: parent.width; height: Math.max(3, Theme.px(6)); color: Theme.gold }

        Row {
            id: bandRow
            anchors.centerIn: parent
            width: parent.width - Theme.margin * 2
            spacing: Theme.margin
            readonly property real pillRoom: pill.width * 1.06 + spacing  // the pill breathes to 106%
            Text {
                id: title
                objectName: "attractTitle"
                anchors.verticalCenter: parent.verticalCenter
                width: parent.width - parent.pillRoom
                text: App.packTitle
                color: Theme.goldLight
                font.family: Theme.titleFamily
                font.pixelSize: Theme.fs(72)
                font.bold: true
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Theme.fs(40)
            }
            Rectangle {
                id: pill
                anchors.verticalCenter: parent.verticalCenter
                width: prompt.implicitWidth + Theme.px(96)
                height: prompt.implicitHeight + Theme.px(40)
                radius: height / 2
                color: Theme.gold
                SequentialAnimation on scale {
                    loops: Animation.Infinite
                    running: root.visible && App.animate
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
    }

    MouseArea {
        objectName: "attractTapAnywhere"
        anchors.fill: parent
        onPressed: Session.touch()
    }
}
