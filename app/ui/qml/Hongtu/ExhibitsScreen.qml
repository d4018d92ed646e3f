import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Browse exhibits: all of them, or by theme (tag chips), in a kinetic grid.
ScreenPage {
    id: page
    objectName: "screen-exhibits"
    screenName: "exhibits"
    property string tag: ""
    property string hallId: ""
    title: qsTr("All exhibits")

    ExhibitListModel { id: exhibits; tag: page.tag; hall: page.hallId }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        ListView {
            id: tagRow
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.touch
            orientation: ListView.Horizontal
            spacing: Theme.px(14)
            clip: true
            model: [{ tagId: "", label: qsTr("All"), count: App.exhibitCount }].concat(App.tags)
            delegate: Chip {
                text: modelData.label + "  " + modelData.count
                selected: page.tag === modelData.tagId
                onClicked: page.tag = modelData.tagId
            }
        }
        GridView {
            id: grid
            objectName: "exhibitGrid"
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
