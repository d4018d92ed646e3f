import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// The pack's map image scaled to fit, with pins at their map positions (fractions of the image;
// crowded pins are moved apart, see layoutPins), thin links between pins (parent → child halls)
// and an optional route path. Zoom with two
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
    onPinsChanged: { if (fitToPins) fitTimer.restart(); layoutTimer.restart() }
    onWidthChanged: if (fitToPins) fitTimer.restart()
    onHeightChanged: if (fitToPins) fitTimer.restart()
    onRatioChanged: if (fitToPins) fitTimer.restart()

    // Pin layout: where each pin and its name go, so that no two touch targets overlap. Crowded
    // pins are pushed apart (a line leads back to the true spot); each name takes the first free
    // side (the preferred one, the other, below, above) or stays hidden until there is room
    // (zoom in, or select the pin). Selected, province, city, route-stop, then county first.
    property var placed: []   // per pin: {x, y (centre in map pixels), side ("" = no label)}
    Timer { id: layoutTimer; interval: 0; onTriggered: view.layoutPins() }
    onSelectedKeyChanged: layoutTimer.restart()
    onShowLabelsChanged: layoutTimer.restart()
    onCountyLabelsFromChanged: layoutTimer.restart()
    Connections {
        target: mapItem
        function onWidthChanged() { layoutTimer.restart() }
        function onHeightChanged() { layoutTimer.restart() }
    }

    function layoutPins() {
        var n = view.pins.length, W = mapItem.width, H = mapItem.height
        if (n === 0 || W <= 0 || H <= 0 || pinRepeater.count !== n) { view.placed = []; return }
        var S = pinRepeater.itemAt(0).width + 2, half = S / 2
        var pos = []
        for (var i = 0; i < n; ++i)
            pos.push({ x: view.pins[i].x * W, y: view.pins[i].y * H })
        function clamp(p) {
            p.x = Math.max(half, Math.min(W - half, p.x))
            p.y = Math.max(half, Math.min(H - half, p.y))
        }
        // push overlapping pins apart along the axis that needs the shorter move
        for (var it = 0; it < 80; ++it) {
            var moved = false
            for (var a = 0; a < n; ++a) {
                for (var b = a + 1; b < n; ++b) {
                    var dx = pos[b].x - pos[a].x, dy = pos[b].y - pos[a].y
                    var ox = S - Math.abs(dx), oy = S - Math.abs(dy)
                    if (ox <= 0 || oy <= 0)
                        continue
                    moved = true
                    if (ox < oy || (ox === oy && dx !== 0)) {
                        var sx = (ox / 2 + 0.5) * (dx < 0 ? -1 : 1)
                        pos[a].x -= sx; pos[b].x += sx
                    } else {
                        var sy = (oy / 2 + 0.5) * (dy < 0 ? -1 : 1)
                        pos[a].y -= sy; pos[b].y += sy
                    }
                    clamp(pos[a]); clamp(pos[b])
                }
            }
            if (!moved)
                break
        }
        // names: first free side, in priority order
        var rank = { province: 1, city: 2, site: 3, county: 4 }
        var order = []
        for (var k = 0; k < n; ++k)
            order.push(k)
        order.sort(function (p, q) {
            var sp = view.pins[p].key === view.selectedKey ? 0 : (rank[view.pins[p].level] || 5)
            var sq = view.pins[q].key === view.selectedKey ? 0 : (rank[view.pins[q].level] || 5)
            return sp !== sq ? sp - sq : p - q
        })
        var boxes = []
        for (var m = 0; m < n; ++m)
            boxes.push(Qt.rect(pos[m].x - half, pos[m].y - half, S, S))
        function hits(r, skip) {
            if (r.x < 0 || r.y < 0 || r.x + r.width > W || r.y + r.height > H)
                return true
            for (var j = 0; j < boxes.length; ++j) {
                var o = boxes[j]
                if (j !== skip && r.x < o.x + o.width && o.x < r.x + r.width && r.y < o.y + o.height && o.y < r.y + r.height)
                    return true
            }
            return false
        }
        var sides = new Array(n)
        for (var t = 0; t < n; ++t) {
            var i2 = order[t], pin = view.pins[i2], item = pinRepeater.itemAt(i2)
            sides[i2] = ""
            var selected = pin.key === view.selectedKey
            var wanted = selected || (view.showLabels && (pin.level !== "county" || W >= view.countyLabelsFrom))
            if (!wanted || !pin.label)
                continue
            var tries = pin.labelLeft ? ["left", "right", "below", "above"] : ["right", "left", "below", "above"]
            for (var c = 0; c < tries.length; ++c) {
                var r = item.labelTapRect(tries[c])
                var abs = Qt.rect(pos[i2].x - item.width / 2 + r.x, pos[i2].y - item.height / 2 + r.y, r.width, r.height)
                if (!hits(abs, i2)) {
                    sides[i2] = tries[c]
                    boxes.push(abs)
                    break
                }
            }
        }
        var out = []
        for (var q = 0; q < n; ++q)
            out.push({ x: pos[q].x, y: pos[q].y, side: sides[q] })
        view.placed = out
    }

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
                    objectName: "mapTapArea"
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
                Repeater {  // a pin moved off its spot (crowded): a thin line back to it, and a dot
                    model: view.placed.length === view.pins.length ? view.pins.length : 0
                    Item {
                        readonly property var p: view.placed[index]
                        readonly property real ax: view.pins[index].x * mapItem.width
                        readonly property real ay: view.pins[index].y * mapItem.height
                        readonly property real dx: p.x - ax
                        readonly property real dy: p.y - ay
                        visible: dx * dx + dy * dy > 16
                        Rectangle {
                            x: parent.ax; y: parent.ay - height / 2
                            width: Math.sqrt(parent.dx * parent.dx + parent.dy * parent.dy)
                            height: Math.max(1.5, Theme.px(2.5))
                            transformOrigin: Item.Left
                            rotation: Math.atan2(parent.dy, parent.dx) * 180 / Math.PI
                            color: Theme.goldLight
                            antialiasing: true
                        }
                        Rectangle {
                            width: Math.max(6, Theme.px(10)); height: width; radius: width / 2
                            x: parent.ax - width / 2; y: parent.ay - height / 2
                            color: Theme.goldLight
                            border.color: Theme.redDark; border.width: 1
                        }
                    }
                }
                Repeater {
                    id: pinRepeater
                    model: view.pins
                    HallPin {
                        objectName: "pin-" + modelData.key
                        readonly property var spot: view.placed.length === view.pins.length ? view.placed[index] : null
                        x: (spot ? spot.x : modelData.x * mapItem.width) - width / 2
                        y: (spot ? spot.y : modelData.y * mapItem.height) - height / 2
                        z: modelData.key === view.selectedKey ? 10 : 1
                        level: modelData.level
                        number: modelData.number
                        label: modelData.label
                        subLabel: modelData.subLabel || ""
                        labelLeft: modelData.labelLeft
                        selected: modelData.key === view.selectedKey
                        side: spot && spot.side !== "" ? spot.side : (modelData.labelLeft ? "left" : "right")
                        // the layout shows a name where there is room for it (see layoutPins)
                        showLabel: spot !== null && spot.side !== ""
                        onClicked: view.pinTapped(modelData.key)
                        onLabelResized: layoutTimer.restart()
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
