import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// The 1+9+N red map: every hall as a pin on the pack's map (marker by level, links from each hall
// to the halls under it). Tapping a pin opens the hall's panel: level, intro, address, its
// exhibits, its base and its study routes. Without a selection the panel shows the legend and
// the whole hall tree (halls without a map position are listed there too).
ScreenPage {
    id: page
    objectName: "screen-map"
    screenName: "map"
    property string hallId: ""   // optional: open with this hall selected
    property real zoom: 1.0      // optional: open zoomed in around the middle of the map
    title: qsTr("Red map")

    RedMap { id: redMap; objectName: "redMap"; selectedHallId: page.hallId }
    readonly property var sel: redMap.selected
    readonly property bool hasSel: sel.hallId !== undefined

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        MapView {
            id: mapView
            objectName: "mapView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            source: redMap.mapSource
            pins: redMap.pins
            links: redMap.links
            selectedKey: redMap.selectedHallId
            onPinTapped: (key) => redMap.select(key)
            onBackgroundTapped: redMap.clearSelection()
            Timer {
                interval: 0
                running: page.zoom > 1.0 && mapView.width > 0 && mapView.hasImage
                onTriggered: mapView.setZoom(page.zoom)
            }
        }

        Rectangle {
            id: panel
            objectName: "mapPanel"
            Layout.preferredWidth: Math.round(page.width * 0.34)
            Layout.maximumWidth: Layout.preferredWidth
            Layout.fillHeight: true
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.line
            border.width: Math.max(1, Theme.px(2))

            // ---- no hall selected: legend + hall tree ----
            ColumnLayout {
                anchors.fill: parent
                anchors.margins: Theme.px(20)
                spacing: Theme.px(14)
                visible: !page.hasSel

                SectionTitle { text: qsTr("1+9+N halls"); subtitle: qsTr("Tap a hall on the map") }
                MapLegend { counts: redMap.levelCounts }
                Rectangle { Layout.fillWidth: true; height: Math.max(2, Theme.px(3)); color: Theme.gold }
                ListView {
                    id: treeList
                    objectName: "hallTree"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: Theme.px(6)
                    model: redMap.tree
                    boundsBehavior: Flickable.DragOverBounds
                    ScrollIndicator.vertical: ScrollIndicator { }
                    delegate: AbstractButton {
                        width: treeList.width
                        height: Math.max(Theme.touch * 0.8, 56, rowText.implicitHeight + Theme.px(16))
                        onClicked: redMap.select(modelData.hallId)
                        background: Rectangle {
                            radius: Theme.radius
                            color: parent.down ? Theme.goldLight : (modelData.level === "province" ? "#FBEFD8" : "transparent")
                            border.color: parent.down ? Theme.red : Theme.line
                            border.width: 1
                        }
                        contentItem: Row {
                            leftPadding: Theme.px(12) + modelData.depth * Theme.px(28)
                            spacing: Theme.px(10)
                            Rectangle {
                                anchors.verticalCenter: parent.verticalCenter
                                width: Theme.px(14); height: width
                                radius: modelData.level === "county" ? 0 : width / 2
                                rotation: modelData.level === "county" ? 45 : 0
                                color: modelData.level === "province" ? Theme.redBright : modelData.level === "city" ? Theme.gold : Theme.goldLight
                                border.color: Theme.redDark; border.width: 1
                            }
                            Text {
                                id: rowText
                                anchors.verticalCenter: parent.verticalCenter
                                width: treeList.width - Theme.px(60) - modelData.depth * Theme.px(28)
                                text: modelData.name + (modelData.pinned ? "" : "  · " + qsTr("not on the map"))
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: modelData.level !== "county"
                                wrapMode: Text.Wrap
                                maximumLineCount: 2
                                elide: Text.ElideRight
                            }
                        }
                    }
                }
            }

            // ---- the selected hall ----
            Flickable {
                id: hallFlick
                objectName: "hallPanel"
                visible: page.hasSel
                anchors.fill: parent
                anchors.margins: Theme.px(20)
                contentWidth: width
                contentHeight: hallCol.height
                clip: true
                boundsBehavior: Flickable.DragOverBounds
                ScrollIndicator.vertical: ScrollIndicator { }
                onVisibleChanged: contentY = 0

                Column {
                    id: hallCol
                    width: hallFlick.width
                    spacing: Theme.px(16)

                    RowLayout {
                        width: parent.width
                        spacing: Theme.px(12)
                        Rectangle {
                            Layout.preferredWidth: levelLabel.implicitWidth + Theme.px(32)
                            Layout.preferredHeight: levelLabel.implicitHeight + Theme.px(12)
                            radius: height / 2
                            color: Theme.red
                            Text {
                                id: levelLabel
                                anchors.centerIn: parent
                                text: page.sel.levelText || ""
                                color: Theme.goldLight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                font.bold: true
                            }
                        }
                        Item { Layout.fillWidth: true }
                        BigButton {
                            objectName: "mapAllHalls"
                            kind: "ghost"
                            text: qsTr("All halls")
                            fontSize: Theme.fontSmall
                            onClicked: redMap.clearSelection()
                        }
                    }
                    Text {
                        objectName: "selectedHallName"
                        width: parent.width
                        text: page.sel.name || ""
                        color: Theme.red
                        font.family: Theme.titleFamily
                        font.pixelSize: Theme.fontLarge
                        font.bold: true
                        wrapMode: Text.Wrap
                    }
                    Text {
                        width: parent.width
                        visible: (page.sel.address || "") !== ""
                        text: qsTr("Address: %1").arg(page.sel.address || "")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                    Text {
                        width: parent.width
                        visible: page.hasSel && !page.sel.pinned
                        text: qsTr("This hall has no place on the map yet.")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                    Text {
                        width: parent.width
                        text: page.sel.intro || ""
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                        lineHeight: 1.3
                    }
                    BigButton {
                        objectName: "mapHallExhibits"
                        width: parent.width
                        kind: "primary"
                        text: qsTr("Open the hall · %1").arg(page.sel.exhibitCount === 1 ? qsTr("1 exhibit")
                                                                                          : qsTr("%1 exhibits").arg(page.sel.exhibitCount || 0))
                        onClicked: App.go("hall", { hallId: page.sel.hallId })
                    }

                    // one city, one base, one route
                    Rectangle {
                        width: parent.width
                        height: baseCol.height + Theme.px(28)
                        radius: Theme.radius
                        color: "#FBEFD8"
                        border.color: Theme.gold
                        border.width: Math.max(1, Theme.px(2))
                        Column {
                            id: baseCol
                            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(14) }
                            spacing: Theme.px(10)
                            Text {
                                width: parent.width
                                text: qsTr("One city · one base · one route")
                                color: Theme.red
                                font.family: Theme.titleFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                wrapMode: Text.Wrap
                            }
                            Text {
                                width: parent.width
                                visible: (page.sel.cityName || "") !== ""
                                text: qsTr("City: %1").arg(page.sel.cityName || "")
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                wrapMode: Text.Wrap
                            }
                            Text {
                                width: parent.width
                                text: qsTr("Base: %1").arg(page.sel.baseName || "")
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                wrapMode: Text.Wrap
                            }
                            Text {
                                width: parent.width
                                text: (page.sel.routes || []).length > 0 ? qsTr("Study routes (%1):").arg(page.sel.routes.length)
                                                                         : qsTr("No study route from this hall yet.")
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                wrapMode: Text.Wrap
                            }
                            Repeater {
                                model: page.sel.routes || []
                                AbstractButton {
                                    objectName: "mapRoute-" + modelData.routeId
                                    width: baseCol.width
                                    height: Math.max(Theme.touch, routeCol.implicitHeight + Theme.px(20))
                                    onClicked: App.go("route", { routeId: modelData.routeId })
                                    scale: down ? 0.97 : 1.0
                                    background: Rectangle {
                                        radius: Theme.radius
                                        color: parent.down ? Qt.darker(Theme.red, 1.25) : Theme.red
                                    }
                                    contentItem: Item {
                                        Column {
                                            id: routeCol
                                            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                                      leftMargin: Theme.px(16); rightMargin: Theme.px(16) }
                                            spacing: Theme.px(4)
                                            Text {
                                                width: parent.width
                                                text: modelData.title + " ›"
                                                color: Theme.goldLight
                                                font.family: Theme.fontFamily
                                                font.pixelSize: Theme.fontSmall
                                                font.bold: true
                                                wrapMode: Text.Wrap
                                            }
                                            Text {
                                                width: parent.width
                                                text: [qsTr("%1 stops").arg(modelData.stopCount), modelData.durationText,
                                                       modelData.own ? "" : modelData.hallName, modelData.progressText]
                                                      .filter(function (s) { return s !== "" }).join(" · ")
                                                color: Theme.goldLight
                                                opacity: 0.85
                                                font.family: Theme.fontFamily
                                                font.pixelSize: Math.max(13, Theme.fontSmall * 0.85)
                                                wrapMode: Text.Wrap
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }

                    Text {
                        width: parent.width
                        visible: (page.sel.parentId || "") !== ""
                        text: qsTr("Part of: %1").arg(page.sel.parentName || "")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                    Flow {
                        width: parent.width
                        spacing: Theme.px(10)
                        visible: (page.sel.parentId || "") !== ""
                        Chip {
                            text: page.sel.parentName || ""
                            onClicked: redMap.select(page.sel.parentId)
                        }
                    }
                    Text {
                        width: parent.width
                        visible: (page.sel.children || []).length > 0
                        text: qsTr("Halls under it")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                    Flow {
                        width: parent.width
                        spacing: Theme.px(10)
                        Repeater {
                            model: page.sel.children || []
                            Chip {
                                text: modelData.name
                                onClicked: redMap.select(modelData.hallId)
                            }
                        }
                    }
                    Item { width: 1; height: Theme.px(8) }
                }
            }
        }
    }
}
