import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// A pin on the red map: a hall (its marker shows the level: star = province, ring = city,
// diamond = county) or a numbered route stop outside the hall (level "site", `number` > 0).
// The pin's centre is the map position. The touch target is at least 64 px, and the name label
// beside it is tappable too.
AbstractButton {
    id: pin
    property string level: "city"
    property int number: 0
    property string label: ""
    property string subLabel: ""   // the name in the other language, smaller
    property bool labelLeft: false
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

    Rectangle {
        id: chip
        visible: pin.showLabel && pin.label !== ""
        readonly property int maxW: Theme.px(pin.level === "province" ? 320 : 260)
        width: Math.min(maxW, Math.max(nameText.implicitWidth, subText.visible ? subText.implicitWidth : 0) + Theme.px(20))
        height: nameText.height + (subText.visible ? subText.height : 0) + Theme.px(8)
        // on the left when asked, unless that would leave the map
        readonly property bool onLeft: pin.labelLeft && pin.x + pin.width / 2 - pin.markerSize / 2 - Theme.px(6) - width >= 0
        x: onLeft ? pin.width / 2 - pin.markerSize / 2 - Theme.px(6) - width
                  : pin.width / 2 + pin.markerSize / 2 + Theme.px(6)
        anchors.verticalCenter: parent.verticalCenter
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
        MouseArea {
            anchors.fill: parent
            anchors.margins: -Math.max(0, (48 - parent.height) / 2)  // at least a 48 px tall target
            onPressed: pin.down = true
            onReleased: pin.down = undefined
            onCanceled: pin.down = undefined
            onClicked: pin.clicked()
        }
    }
}
