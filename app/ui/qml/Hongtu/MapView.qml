import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// The pack's map image scaled to fit, with pins at their map positions (fractions of the image),
// thin links between pins (parent → child halls) and an optional route path. Zoom with two
// fingers or the +/− buttons, pan by dragging when zoomed in.
Item {
    id: view
    property url source
    property var pins: []          // [{key, x, y, level, label, subLabel, labelLeft, number}]
    property var links: []         // [{x1, y1, x2, y2}]
    property var path: []          // [{x, y}] a route, in order
    property string selectedKey: ""
    property bool zoomable: true
    property bool showLabels: true
    property real maxZoom: 3.0
    property real countyLabelsFrom: 1000  // map width (px) from which county halls show their names
    property real zoom: 1.0
    signal pinTapped(string key)
    signal backgroundTapped()
    clip: true

    readonly property bool hasImage: img.status === Image.Ready
    readonly property real ratio: hasImage && img.implicitHeight > 0 ? img.implicitWidth / img.implicitHeight : 4 / 3
    readonly property real fitW: Math.max(1, Math.min(width, height * ratio))
    readonly property real fitH: fitW / ratio

    function setZoom(z, cx, cy) {
        z = Math.max(1.0, Math.min(view.maxZoom, z))
        if (cx === undefined) { cx = flick.width / 2; cy = flick.height / 2 }
        var fx = (flick.contentX + cx - mapItem.x) / mapItem.width
        var fy = (flick.contentY + cy - mapItem.y) / mapItem.height
        view.zoom = z
        flick.contentX = Math.max(0, Math.min(flick.contentWidth - flick.width, fx * mapItem.width + mapItem.x - cx))
        flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, fy * mapItem.height + mapItem.y - cy))
    }
    function resetZoom() { view.zoom = 1.0; flick.contentX = 0; flick.contentY = 0 }

    // zoom and pan so that every pin (and the path) is in view, with a margin
    property bool fitToPins: false
    function fitPins() {
        var pts = view.pins.concat(view.path)
        if (pts.length === 0 || width <= 0 || height <= 0) { resetZoom(); return }
        var minX = 1, maxX = 0, minY = 1, maxY = 0
        for (var i = 0; i < pts.length; ++i) {
            minX = Math.min(minX, pts[i].x); maxX = Math.max(maxX, pts[i].x)
            minY = Math.min(minY, pts[i].y); maxY = Math.max(maxY, pts[i].y)
        }
        var pad = 0.08
        var bw = Math.max(0.2, maxX - minX + 2 * pad), bh = Math.max(0.2, maxY - minY + 2 * pad)
        view.zoom = Math.max(1.0, Math.min(view.maxZoom, width / (bw * fitW), height / (bh * fitH)))
        var cx = (minX + maxX) / 2 * mapItem.width + mapItem.x
        var cy = (minY + maxY) / 2 * mapItem.height + mapItem.y
        flick.contentX = Math.max(0, Math.min(flick.contentWidth - flick.width, cx - flick.width / 2))
        flick.contentY = Math.max(0, Math.min(flick.contentHeight - flick.height, cy - flick.height / 2))
    }
    Timer { id: fitTimer; interval: 0; onTriggered: view.fitPins() }
    onPinsChanged: if (fitToPins) fitTimer.restart()
    onWidthChanged: if (fitToPins) fitTimer.restart()
    onHeightChanged: if (fitToPins) fitTimer.restart()
    onRatioChanged: if (fitToPins) fitTimer.restart()

    Rectangle { anchors.fill: parent; color: "#1E0806"; radius: Theme.radius }

    Flickable {
        id: flick
        objectName: "mapFlick"
        anchors.fill: parent
        contentWidth: Math.max(width, mapItem.width)
        contentHeight: Math.max(height, mapItem.height)
        interactive: view.zoom > 1.001
        boundsBehavior: Flickable.StopAtBounds
        clip: true

        PinchArea {
            width: flick.contentWidth
            height: flick.contentHeight
            enabled: view.zoomable
            property real startZoom: 1.0
            onPinchStarted: startZoom = view.zoom
            onPinchUpdated: (pinch) => view.setZoom(startZoom * pinch.scale,
                                                     pinch.center.x - flick.contentX, pinch.center.y - flick.contentY)

            Item {
                id: mapItem
                objectName: "mapItem"
                width: view.fitW * view.zoom
                height: view.fitH * view.zoom
                x: Math.max(0, (flick.width - width) / 2)
                y: Math.max(0, (flick.height - height) / 2)

                Image {
                    id: img
                    anchors.fill: parent
                    source: view.source
                    asynchronous: true
                    fillMode: Image.Stretch
                    smooth: true
                    mipmap: true
                    sourceSize.width: 2400
                    onStatusChanged: if (status === Image.Error) console.warn("map image failed to load:", view.source)
                }
                Rectangle {  // no map picture: pins on a plain background
                    anchors.fill: parent
                    visible: !view.hasImage
                    color: Theme.redDark
                    border.color: Theme.gold
                    Text {
                        anchors { left: parent.left; bottom: parent.bottom; margins: Theme.px(16) }
                        visible: img.status !== Image.Loading
                        text: qsTr("Map picture not available")
                        color: Theme.goldLight
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: view.backgroundTapped()
                    onDoubleClicked: (mouse) => { if (view.zoomable) view.setZoom(view.zoom < 1.5 ? 2.0 : 1.0, mouse.x + mapItem.x - flick.contentX, mouse.y + mapItem.y - flick.contentY) }
                }

                Repeater {  // parent → child links
                    model: view.links
                    Rectangle {
                        readonly property real dx: (modelData.x2 - modelData.x1) * mapItem.width
                        readonly property real dy: (modelData.y2 - modelData.y1) * mapItem.height
                        x: modelData.x1 * mapItem.width
                        y: modelData.y1 * mapItem.height - height / 2
                        width: Math.sqrt(dx * dx + dy * dy)
                        height: Math.max(1.5, Theme.px(2.5))
                        transformOrigin: Item.Left
                        rotation: Math.atan2(dy, dx) * 180 / Math.PI
                        color: Theme.goldLight
                        opacity: 0.7
                        antialiasing: true
                    }
                }
                Repeater {  // route path
                    model: view.path.length > 1 ? view.path.length - 1 : 0
                    Rectangle {
                        readonly property var a: view.path[index]
                        readonly property var b: view.path[index + 1]
                        readonly property real dx: (b.x - a.x) * mapItem.width
                        readonly property real dy: (b.y - a.y) * mapItem.height
                        x: a.x * mapItem.width
                        y: a.y * mapItem.height - height / 2
                        width: Math.sqrt(dx * dx + dy * dy)
                        height: Math.max(3, Theme.px(6))
                        radius: height / 2
                        transformOrigin: Item.Left
                        rotation: Math.atan2(dy, dx) * 180 / Math.PI
                        color: Theme.gold
                        antialiasing: true
                    }
                }
                Repeater {
                    model: view.pins
                    HallPin {
                        objectName: "pin-" + modelData.key
                        x: modelData.x * mapItem.width - width / 2
                        y: modelData.y * mapItem.height - height / 2
                        z: modelData.key === view.selectedKey ? 10 : 1
                        level: modelData.level
                        number: modelData.number
                        label: modelData.label
                        subLabel: modelData.subLabel || ""
                        labelLeft: modelData.labelLeft
                        selected: modelData.key === view.selectedKey
                        // county names only once the map is big enough (zoom in on a small screen)
                        showLabel: selected || (view.showLabels && (modelData.level !== "county" || mapItem.width >= view.countyLabelsFrom))
                        onClicked: view.pinTapped(modelData.key)
                    }
                }
            }
        }
    }

    Column {  // zoom buttons
        visible: view.zoomable
        anchors { right: parent.right; bottom: parent.bottom; margins: Theme.px(16) }
        spacing: Theme.px(10)
        BigButton {
            objectName: "mapZoomIn"
            kind: "header"; text: "+"
            Accessible.name: qsTr("Zoom in")
            enabled: view.zoom < view.maxZoom - 0.01
            onClicked: view.setZoom(view.zoom * 1.5)
        }
        BigButton {
            objectName: "mapZoomOut"
            kind: "header"; text: "−"
            Accessible.name: qsTr("Zoom out")
            enabled: view.zoom > 1.01
            onClicked: view.setZoom(view.zoom / 1.5)
        }
        BigButton {
            objectName: "mapZoomFit"
            kind: "header"; text: qsTr("Whole map")
            fontSize: Theme.fontSmall
            enabled: view.zoom > 1.01
            onClicked: view.resetZoom()
        }
    }
}
