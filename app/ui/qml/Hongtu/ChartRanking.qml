import QtQuick
import QtQuick.Layouts
import Hongtu

// A ranked list drawn as horizontal bars (plain Rectangles: long Chinese titles wrap and stay
// readable, which a chart axis would clip). `rows`: [{title, fraction 0..1, valueText, detail}].
Rectangle {
    id: box
    property string title: ""
    property var rows: []
    property color barColor: Theme.red
    property string emptyText: ""
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.line
    border.width: Math.max(1, Theme.px(2))
    implicitHeight: inner.implicitHeight + Theme.px(36)

    ColumnLayout {
        id: inner
        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(18) }
        spacing: Theme.px(10)
        Text {
            Layout.fillWidth: true
            text: box.title
            color: Theme.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
        Text {
            visible: box.rows.length === 0
            Layout.fillWidth: true
            text: box.emptyText
            color: Theme.inkSoft
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Repeater {
            model: box.rows
            delegate: ColumnLayout {
                Layout.fillWidth: true
                spacing: Theme.px(4)
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.px(10)
                    Text {
                        text: (index + 1) + "."
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                    Text {
                        Layout.fillWidth: true
                        text: modelData.title
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        elide: Text.ElideRight
                    }
                    Text {
                        text: modelData.valueText
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                }
                Item {
                    Layout.fillWidth: true
                    implicitHeight: Theme.px(14)
                    Rectangle { anchors.fill: parent; radius: height / 2; color: Theme.placeholder }
                    Rectangle {
                        width: Math.max(height, parent.width * Math.min(1, modelData.fraction))
                        height: parent.height
                        radius: height / 2
                        color: box.barColor
                    }
                }
                Text {
                    visible: (modelData.detail || "") !== ""
                    Layout.fillWidth: true
                    text: modelData.detail || ""
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Math.round(Theme.fontSmall * 0.9)
                    elide: Text.ElideRight
                }
            }
        }
    }
}
