import QtQuick
import Hongtu

// The map legend: one row per hall level with its marker and how many halls it has (1 + 9 + N).
Column {
    id: legend
    property var counts: ({})
    spacing: Theme.px(6)
    Repeater {
        model: [
            { level: "province", text: qsTr("Province hall") },
            { level: "city", text: qsTr("City halls") },
            { level: "county", text: qsTr("County halls") }
        ]
        Row {
            spacing: Theme.px(10)
            Rectangle {
                width: Math.max(48, Theme.px(60)); height: width; radius: Theme.px(8)
                color: "#2A0A08"
                HallPin {
                    anchors.centerIn: parent
                    width: parent.width; height: width
                    level: modelData.level
                    showLabel: false
                    enabled: false
                }
            }
            Text {
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("%1 (%2)").arg(modelData.text).arg(legend.counts[modelData.level] || 0)
                color: Theme.ink
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
    }
}
