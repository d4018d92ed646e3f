import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// A pin on the red map: a hall (its marker shows the level: star = province, ring = city,
// diamond = county) or a numbered route stop outside the hall (level "site", `number` > 0).
// The pin's centre is the map position. The touch target is at least 64 px, and the name label
// beside it (`side`: right, left, below or above; MapView picks a free one) is tappable too: its
// touch area is at least 48 px and starts where the pin's square ends, so the two never overlap.
AbstractButton {
    id: pin
    property string level: "city"
    property int number: 0
    property string label: ""
    property string subLabel: ""   // the name in the other language, smaller
    property bool labelLeft: false
    property string side: labelLeft ? "left" : "right"
    signal labelResized()
    property bool selected: false
    property bool showLabel: true
    readonly property int markerSize: level === "province" ? Theme.px(50)
                                    : level === "city" ? Theme.px(34)
                                    : level === "site" ? Math.max(34, Theme.px(44)) : Theme.px(26)
    width: Math.max(64, Theme.px(72))
    height: width
    focusPolicy: Qt.StrongFocus
    Accessible.name: label

    background: Item { }
    contentItem: Item { }

    // halo: selected (gold) or pressed
    Rectangle {
        anchors.centerIn: parent
        width: pin.markerSize + Theme.px(26); height: width; radius: width / 2
        color: "transparent"
        border.color: pin.down ? Theme.goldLight : Theme.gold
        border.width: Math.max(3, Theme.px(5))
        visible: pin.selected || pin.down || pin.visualFocus
        opacity: pin.selected ? 1 : 0.8
    }

    Item {
        id: marker
        anchors.centerIn: parent
        width: pin.markerSize; height: width
        scale: pin.down ? 0.88 : (pin.selected ? 1.15 : 1.0)
        Behavior on scale { NumberAnimation { duration: 90 } }

        Rectangle {  // province: red disc, gold ring, star
            visible: pin.level === "province"
            anchors.fill: parent; radius: width / 2
            color: Theme.redBright
            border.color: Theme.gold; border.width: Math.max(2, Theme.px(4))
            Text {
                anchors.centerIn: parent
                text: "★"
                color: Theme.goldLight
                font.pixelSize: parent.width * 0.62
            }
        }
        Rectangle {  // city: gold disc with a red centre
            visible: pin.level === "city"
            anchors.fill: parent; radius: width / 2
            color: Theme.gold
            border.color: Theme.redDark; border.width: Math.max(2, Theme.px(3))
            Rectangle { anchors.centerIn: parent; width: parent.width * 0.42; height: width; radius: width / 2; color: Theme.red }
        }
        Rectangle {  // county: a pale gold diamond
            visible: pin.level === "county"
            anchors.centerIn: parent
            width: parent.width * 0.74; height: width
            rotation: 45
            color: Theme.goldLight
            border.color: Theme.redDark; border.width: Math.max(2, Theme.px(3))
        }
        Rectangle {  // numbered route stop
            visible: pin.level === "site"
            anchors.fill: parent; radius: width / 2
            color: pin.selected ? Theme.gold : Theme.red
            border.color: pin.selected ? Theme.redDark : Theme.goldLight; border.width: Math.max(2, Theme.px(3))
            Text {
                anchors.centerIn: parent
                text: pin.number
                color: pin.selected ? Theme.redDark : Theme.goldLight
                font.family: Theme.fontFamily
                font.pixelSize: Math.max(16, parent.width * 0.5)
                font.bold: true
            }
        }
    }

    // The label's touch area (pin coordinates) on each side: at least 48×48, outside the pin's square.
    function labelTapRect(where) {
        var w = chip.width, h = chip.height, S = pin.width, m = pin.markerSize
        if (where === "right" || where === "left") {
            var th = Math.max(48, h)
            var reach = S / 2 + m / 2 + Theme.px(6) + w - S  // how far the chip reaches past the square
            var tw = Math.max(48, reach)
            return Qt.rect(where === "right" ? S : -tw, (S - th) / 2, tw, th)
        }
        var tw2 = Math.max(48, w)
        var th2 = Math.max(48, S / 2 + m / 2 + Theme.px(4) + h - S)
        return Qt.rect((S - tw2) / 2, where === "below" ? S : -th2, tw2, th2)
    }

    Rectangle {
        id: chip
        // hidden by opacity, not visibility: a hidden Text keeps its size up to date for the layout
        readonly property bool shown: pin.showLabel && pin.label !== ""
        visible: pin.label !== ""
        opacity: shown ? 1 : 0
        readonly property int maxW: Theme.px(pin.level === "province" ? 320 : 260)
        width: Math.min(maxW, Math.max(nameText.implicitWidth, subText.visible ? subText.implicitWidth : 0) + Theme.px(20))
        height: nameText.height + (subText.visible ? subText.height : 0) + Theme.px(8)
        onWidthChanged: pin.labelResized()
        onHeightChanged: pin.labelResized()
        x: pin.side === "left" ? pin.width / 2 - pin.markerSize / 2 - Theme.px(6) - width
         : pin.side === "right" ? pin.width / 2 + pin.markerSize / 2 + Theme.px(6)
         : (pin.width - width) / 2
        y: pin.side === "below" ? pin.height / 2 + pin.markerSize / 2 + Theme.px(4)
         : pin.side === "above" ? pin.height / 2 - pin.markerSize / 2 - Theme.px(4) - height
         : (pin.height - height) / 2
        radius: Theme.px(8)
        color: pin.selected ? Theme.gold : (pin.down ? Theme.redBright : "#E62A0A08")
        border.color: Theme.gold
        border.width: pin.selected ? 0 : 1
        Text {
            id: nameText
            anchors.horizontalCenter: parent.horizontalCenter
            y: Theme.px(4)
            width: Math.min(chip.maxW - Theme.px(20), implicitWidth)
            text: pin.label
            color: pin.selected ? Theme.redDark : Theme.goldLight
            font.family: Theme.fontFamily
            font.pixelSize: pin.level === "county" || pin.level === "site" ? Math.max(14, Theme.fontSmall * 0.9) : Theme.fontSmall
            font.bold: pin.level !== "county"
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
            horizontalAlignment: Text.AlignHCenter
        }
        Text {
            id: subText
            visible: pin.subLabel !== ""
            anchors { horizontalCenter: parent.horizontalCenter; top: nameText.bottom }
            width: Math.min(chip.maxW - Theme.px(20), implicitWidth)
            text: pin.subLabel
            color: pin.selected ? Theme.redDark : Theme.goldLight
            opacity: 0.85
            font.family: Theme.fontFamily
            font.pixelSize: Math.max(12, Theme.fontSmall * 0.7)
            elide: Text.ElideRight
            horizontalAlignment: Text.AlignHCenter
        }
    }
    MouseArea {
        objectName: "pinLabelTap"
        readonly property rect area: pin.labelTapRect(pin.side)
        visible: chip.shown
        x: area.x; y: area.y; width: area.width; height: area.height
        onPressed: pin.down = true
        onReleased: pin.down = undefined
        onCanceled: pin.down = undefined
        onClicked: pin.clicked()
    }
}
