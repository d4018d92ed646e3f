import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// One hall: its intro, its parent and child halls, and a kinetic grid of its exhibits.
ScreenPage {
    id: page
    objectName: "screen-hall"
    screenName: "hall"
    property string hallId: ""
    title: hall.name

    HallDetail { id: hall; hallId: page.hallId }
    HallListModel { id: children; parentHall: page.hallId }
    ExhibitListModel { id: exhibits; hall: page.hallId }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        // left: about the hall
        Flickable {
            id: about
            Layout.preferredWidth: Math.round(parent.width * 0.34)
            Layout.maximumWidth: Layout.preferredWidth
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: aboutCol.height
            clip: true
            boundsBehavior: Flickable.DragOverBounds
            ScrollIndicator.vertical: ScrollIndicator { }
            Column {
                id: aboutCol
                width: about.width
                spacing: Theme.gap
                Rectangle {
                    width: levelText.implicitWidth + Theme.px(32)
                    height: levelText.implicitHeight + Theme.px(12)
                    radius: height / 2
                    color: Theme.red
                    Text {
                        id: levelText
                        anchors.centerIn: parent
                        text: hall.level === "province" ? qsTr("Province hall") : hall.level === "city" ? qsTr("City hall") : qsTr("County hall")
                        color: Theme.goldLight
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                }
                Text {
                    width: parent.width
                    text: hall.name
                    color: Theme.red
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    visible: hall.address !== ""
                    text: qsTr("Address: %1").arg(hall.address)
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: hall.intro
                    color: Theme.ink
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                    lineHeight: 1.35
                }
                BigButton {
                    objectName: "hallRoutesButton"
                    width: parent.width
                    kind: "gold"
                    text: qsTr("Study routes")
                    onClicked: App.go("routes", { hallId: page.hallId })
                }
                BigButton {
                    visible: hall.parentId !== ""
                    width: parent.width
                    kind: "ghost"
                    text: qsTr("Part of: %1").arg(hall.parentName)
                    onClicked: App.go("hall", { hallId: hall.parentId })
                }
                SectionTitle { visible: children.count > 0; text: qsTr("Halls under it") }
                Flow {
                    width: parent.width
                    spacing: Theme.px(14)
                    Repeater {
                        model: children
                        Chip { text: model.name; onClicked: App.go("hall", { hallId: model.hallId }) }
                    }
                }
            }
        }

        Rectangle { Layout.fillHeight: true; width: Math.max(2, Theme.px(3)); color: Theme.line }

        // right: its exhibits
        ColumnLayout {
            Layout.fillWidth: true
            Layout.preferredWidth: Math.round(parent.width * 0.6)
            Layout.fillHeight: true
            spacing: Theme.gap
            SectionTitle { text: qsTr("Exhibits in this hall (%1)").arg(exhibits.count) }
            Text {
                visible: !exhibits.loading && exhibits.count === 0
                text: qsTr("No exhibits in this hall yet.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            GridView {
                id: grid
                objectName: "hallExhibitGrid"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                readonly property int columns: Math.max(2, Math.floor(width / Theme.px(380)))
                cellWidth: Math.floor(width / columns)
                cellHeight: Theme.cardHeight(cellWidth - Theme.px(20)) + Theme.px(20)
                model: exhibits
                boundsBehavior: Flickable.DragOverBounds
                flickDeceleration: 1500
                ScrollIndicator.vertical: ScrollIndicator { }
                delegate: Item {
                    width: grid.cellWidth
                    height: grid.cellHeight
                    ExhibitCard {
                        anchors.fill: parent
                        anchors.margins: Theme.px(10)
                        exhibitId: model.exhibitId; title: model.title; period: model.period
                        summary: model.summary; thumb: model.thumb
                    }
                }
            }
        }
    }
}
