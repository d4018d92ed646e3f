import QtQuick
import Hongtu

// One picture of the full-screen viewer: pinch to zoom (1×–4×), double-tap to zoom in/out at the
// finger, drag to pan while zoomed. A missing picture shows the placeholder.
Flickable {
    id: flick
    property url source
    property string label: ""
    property real zoom: 1.0
    readonly property bool zoomed: zoom > 1.01
    readonly property real maxZoom: 4.0

    clip: true
    contentWidth: width * zoom
    contentHeight: height * zoom
    interactive: zoomed
    boundsBehavior: Flickable.StopAtBounds

    // zoom to `z` keeping the content point `p` (content coordinates) under the same screen spot
    function zoomAt(z, p) {
        z = Math.max(1.0, Math.min(maxZoom, z))
        var vx = p.x - contentX, vy = p.y - contentY
        var r = z / zoom
        zoom = z
        contentX = Math.max(0, Math.min(contentWidth - width, p.x * r - vx))
        contentY = Math.max(0, Math.min(contentHeight - height, p.y * r - vy))
    }
    function resetZoom() { zoom = 1.0; contentX = 0; contentY = 0 }

    PinchArea {
        width: flick.contentWidth
        height: flick.contentHeight
        property real startZoom: 1.0
        pinch.dragAxis: Pinch.NoDrag
        onPinchStarted: startZoom = flick.zoom
        onPinchUpdated: (pinch) => flick.zoomAt(startZoom * pinch.scale, pinch.center)
        onPinchFinished: flick.returnToBounds()

        SmartImage {
            id: picture
            anchors.fill: parent
            source: flick.source
            label: flick.label
            fillMode: Image.PreserveAspectFit
        }
        TapHandler {
            onDoubleTapped: (eventPoint) => {
                if (flick.zoomed)
                    flick.zoomAt(1.0, eventPoint.position)
                else
                    flick.zoomAt(2.5, eventPoint.position)
            }
        }
        WheelHandler {  // mouse and touchpad, for staff testing without a touch screen
            acceptedModifiers: Qt.ControlModifier
            onWheel: (event) => flick.zoomAt(flick.zoom * (event.angleDelta.y > 0 ? 1.2 : 1 / 1.2), Qt.point(event.x, event.y))
        }
    }
}
