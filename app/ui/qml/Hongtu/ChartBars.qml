import QtQuick
import QtQuick.Layouts
import QtGraphs
import Hongtu

// Grouped bar chart (QtGraphs): visitor sessions on the touch screen beside camera-counted
// visitors, per category (hour or day). `chart` is a view-model map {labels, sessions, camera, max}.
Rectangle {
    id: box
    property string title: ""
    property var chart: ({ labels: [], sessions: [], camera: [], max: 4 })
    property string emptyText: ""
    readonly property bool empty: (chart.sessions || []).concat(chart.camera || []).every(function (v) { return v === 0 })
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.line
    border.width: Math.max(1, Theme.px(2))
    implicitHeight: Theme.px(420)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.px(18)
        spacing: Theme.px(6)

        Text {
            Layout.fillWidth: true
            text: box.title
            color: Theme.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
            elide: Text.ElideRight
        }
        Flow {
            Layout.fillWidth: true
            spacing: Theme.px(20)
            Repeater {
                model: [[qsTr("Visitor sessions (screen)"), Theme.red], [qsTr("Camera count"), Theme.gold]]
                Row {
                    spacing: Theme.px(8)
                    Rectangle { width: Theme.px(22); height: width; radius: Theme.px(4); color: modelData[1]; anchors.verticalCenter: parent.verticalCenter }
                    Text {
                        text: modelData[0]
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            GraphsView {
                id: graph
                objectName: "chartGraph"
                anchors.fill: parent
                marginLeft: Theme.px(4)
                marginRight: Theme.px(4)
                marginTop: Theme.px(8)
                marginBottom: Theme.px(4)
                theme: GraphsTheme {
                    colorScheme: GraphsTheme.ColorScheme.Light
                    backgroundVisible: false
                    plotAreaBackgroundVisible: false
                    labelTextColor: Theme.inkSoft
                    labelBackgroundVisible: false
                    axisXLabelFont.family: Theme.fontFamily
                    axisXLabelFont.pixelSize: Theme.fontSmall
                    axisYLabelFont.family: Theme.fontFamily
                    axisYLabelFont.pixelSize: Theme.fontSmall
                    grid.mainColor: Theme.line
                    grid.mainWidth: 1
                }
                axisX: BarCategoryAxis {
                    categories: box.chart.labels || []
                    gridVisible: false
                    subGridVisible: false
                }
                axisY: ValueAxis {
                    min: 0
                    max: box.chart.max || 4
                    tickInterval: Math.max(1, (box.chart.max || 4) / 4)
                    labelDecimals: 0
                    subTickCount: 0
                    subGridVisible: false
                }
                BarSeries {
                    barWidth: 0.8
                    BarSet { label: "sessions"; values: box.chart.sessions || []; color: Theme.red; borderWidth: 0; borderColor: Theme.red }
                    BarSet { label: "camera"; values: box.chart.camera || []; color: Theme.gold; borderWidth: 0; borderColor: Theme.gold }
                }
            }
            Text {
                visible: box.empty && box.emptyText !== ""
                anchors.centerIn: parent
                width: parent.width * 0.8
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                text: box.emptyText
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }
    }
}
