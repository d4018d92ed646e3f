import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// Full-screen picture viewer over the whole window: swipe between the exhibit's pictures, pinch or
// double-tap to zoom, drag to pan while zoomed, the caption underneath, a big close button.
// `images` is a list of {source, caption, missing} (ExhibitDetail.images); `show(index)` opens it.
Popup {
    id: viewer
    objectName: "imageViewer"
    property var images: []
    readonly property int currentIndex: view.currentIndex
    readonly property var current: images.length > 0 && view.currentIndex >= 0 ? images[view.currentIndex] : null

    parent: Overlay.overlay
    x: 0
    y: 0
    width: parent ? parent.width : 0
    height: parent ? parent.height : 0
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    enter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: App.animate ? 180 : 0 } }
    exit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: App.animate ? 150 : 0 } }
    background: Rectangle { color: "#F0080505" }

    property int keptIndex: 0   // the picture the visitor chose; survives a relabelled model

    function show(index) {
        goTo(index, true)
        open()
    }
    function goTo(index, jump) {
        keptIndex = Math.max(0, Math.min(images.length - 1, index))
        view.currentIndex = keptIndex
        if (jump)
            view.positionViewAtIndex(keptIndex, ListView.Beginning)
    }

    // any navigation (a session reset included) closes the viewer with its screen
    Connections {
        target: App
        function onStackChanged() { viewer.close() }
    }

    // a language switch gives new captions, hence a new model: stay on the same picture
    onImagesChanged: if (opened) Qt.callLater(function() { viewer.goTo(viewer.keptIndex, true) })

    onClosed: {
        for (var i = 0; i < view.count; i++) {
            var p = view.itemAtIndex(i)
            if (p)
                p.resetZoom()
        }
    }

    contentItem: Item {
        ListView {
            id: view
            objectName: "imageViewerList"
            anchors { left: parent.left; right: parent.right; top: topBar.bottom; bottom: captionBar.top }
            orientation: ListView.Horizontal
            snapMode: ListView.SnapOneItem
            highlightRangeMode: ListView.StrictlyEnforceRange
            highlightMoveDuration: App.animate ? 250 : 0
            boundsBehavior: Flickable.StopAtBounds
            // a zoomed picture pans instead of swiping to the next one
            interactive: !(currentItem && currentItem.zoomed)
            clip: true
            model: viewer.images
            onMovementEnded: viewer.keptIndex = currentIndex
            onCurrentIndexChanged: {
                for (var i = 0; i < count; i++) {
                    var p = itemAtIndex(i)
                    if (p && i !== currentIndex)
                        p.resetZoom()
                }
            }
            delegate: GalleryZoomPage {
                width: view.width
                height: view.height
                source: modelData.source
                label: modelData.caption !== "" ? modelData.caption : qsTr("Picture not available")
            }
        }

        // top: counter, hint, close
        Item {
            id: topBar
            anchors { left: parent.left; right: parent.right; top: parent.top }
            height: Theme.touch + Theme.px(32)
            Text {
                objectName: "imageViewerCounter"
                anchors { left: parent.left; leftMargin: Theme.margin; verticalCenter: parent.verticalCenter }
                text: viewer.images.length > 1 ? (view.currentIndex + 1) + " / " + viewer.images.length : ""
                color: Theme.goldLight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
            }
            Text {
                anchors.centerIn: parent
                width: parent.width - Theme.px(700)
                horizontalAlignment: Text.AlignHCenter
                text: view.currentItem && view.currentItem.zoomed ? qsTr("Drag to look around · double-tap to zoom out")
                                                                  : qsTr("Pinch or double-tap to zoom")
                color: "#C0FFFFFF"
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                elide: Text.ElideRight
            }
            BigButton {
                objectName: "imageViewerClose"
                anchors { right: parent.right; rightMargin: Theme.margin; verticalCenter: parent.verticalCenter }
                kind: "gold"
                text: "✕ " + qsTr("Close")
                onClicked: viewer.close()
            }
        }

        BigButton {
            objectName: "imageViewerPrev"
            visible: view.count > 1 && view.currentIndex > 0
            anchors { left: parent.left; leftMargin: Theme.px(24); verticalCenter: view.verticalCenter }
            kind: "header"
            text: "‹"
            fontSize: Theme.fontTitle
            onClicked: viewer.goTo(view.currentIndex - 1, false)
        }
        BigButton {
            objectName: "imageViewerNext"
            visible: view.count > 1 && view.currentIndex < view.count - 1
            anchors { right: parent.right; rightMargin: Theme.px(24); verticalCenter: view.verticalCenter }
            kind: "header"
            text: "›"
            fontSize: Theme.fontTitle
            onClicked: viewer.goTo(view.currentIndex + 1, false)
        }

        // caption
        Rectangle {
            id: captionBar
            anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
            height: Math.max(Theme.touch, capText.implicitHeight + Theme.px(36))
            color: "#80000000"
            Text {
                id: capText
                objectName: "imageViewerCaption"
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.margin }
                text: viewer.current ? viewer.current.caption : ""
                horizontalAlignment: Text.AlignHCenter
                color: Theme.goldLight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
                maximumLineCount: 3
                elide: Text.ElideRight
            }
        }
    }
}
