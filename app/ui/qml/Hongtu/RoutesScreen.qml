import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Study routes: every route (or a hall's) as a card with its title, theme, duration, number of
// stops, hall and the visitor's progress; a tap opens the route page.
ScreenPage {
    id: page
    objectName: "screen-routes"
    screenName: "routes"
    property string hallId: ""   // optional: only this hall's routes (and those of the halls under it)
    property string routeId: ""  // optional: highlight this route (e.g. from an exhibit page's link)
    title: qsTr("Study routes")

    RouteListModel { id: routes; hall: page.hallId }
    HallDetail { id: hall; hallId: page.hallId }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            SectionTitle {
                Layout.fillWidth: true
                text: page.hallId !== "" && !routes.showingAll ? qsTr("Routes of %1").arg(hall.name) : qsTr("All study routes (%1)").arg(routes.count)
                subtitle: routes.showingAll ? qsTr("%1 has no study route yet; here are all routes.").arg(hall.name)
                                            : qsTr("Walk a route stop by stop, with narration at every stop.")
            }
            BigButton {
                objectName: "routesMapButton"
                kind: "gold"
                text: qsTr("Red map")
                onClicked: App.go("map", page.hallId !== "" ? { hallId: page.hallId } : {})
            }
        }

        Text {
            visible: !routes.loading && routes.count === 0
            text: qsTr("This pack has no study routes.")
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
        }

        GridView {
            id: grid
            objectName: "routesGrid"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            readonly property int columns: Math.max(1, Math.floor(width / Theme.px(760)))
            cellWidth: Math.floor(width / columns)
            cellHeight: Theme.px(30) + Theme.fontLarge * 2.8 + Theme.fontBody * 4.4 + Theme.touch + Theme.px(96)
            model: routes
            boundsBehavior: Flickable.DragOverBounds
            function showPicked() {
                for (var i = 0; i < routes.count; ++i)
                    if (routes.get(i).routeId === page.routeId) { positionViewAtIndex(i, GridView.Contain); return }
            }
            onCountChanged: if (page.routeId !== "") Qt.callLater(showPicked)
            flickDeceleration: 1500
            ScrollIndicator.vertical: ScrollIndicator { }
            delegate: Item {
                width: grid.cellWidth
                height: grid.cellHeight
                AbstractButton {
                    id: card
                    objectName: "routeCard-" + model.routeId
                    anchors.fill: parent
                    anchors.margins: Theme.px(12)
                    onClicked: App.go("route", { routeId: model.routeId })
                    scale: down ? 0.98 : 1.0
                    Behavior on scale { NumberAnimation { duration: 80 } }
                    readonly property bool picked: model.routeId === page.routeId
                    background: Rectangle {
                        radius: Theme.radius
                        color: card.picked ? "#FFF8E6" : Theme.card
                        border.color: card.down ? Theme.red : (card.picked ? Theme.gold : Theme.line)
                        border.width: Math.max(2, Theme.px(card.down || card.picked ? 5 : 2))
                        Rectangle {  // red spine
                            width: Theme.px(12); height: parent.height; radius: Theme.radius
                            color: model.completed ? Theme.gold : Theme.red
                        }
                    }
                    contentItem: Item {
                        ColumnLayout {
                            anchors.fill: parent
                            anchors { leftMargin: Theme.px(36); rightMargin: Theme.px(24); topMargin: Theme.px(20); bottomMargin: Theme.px(20) }
                            spacing: Theme.px(10)
                            Text {
                                Layout.fillWidth: true
                                text: model.title
                                color: Theme.red
                                font.family: Theme.titleFamily
                                font.pixelSize: Theme.fontLarge
                                font.bold: true
                                wrapMode: Text.Wrap
                                maximumLineCount: 2
                                elide: Text.ElideRight
                            }
                            Text {
                                Layout.fillWidth: true
                                Layout.fillHeight: true
                                text: model.theme
                                color: Theme.inkSoft
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                wrapMode: Text.Wrap
                                maximumLineCount: 3
                                elide: Text.ElideRight
                                lineHeight: 1.15
                                verticalAlignment: Text.AlignTop
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: Theme.px(10)
                                Repeater {
                                    model: [
                                        durationText,
                                        qsTr("%1 stops").arg(stopCount) + (siteCount > 0 ? qsTr(" (%1 outside)").arg(siteCount) : ""),
                                        hallName
                                    ]
                                    Rectangle {
                                        width: infoText.implicitWidth + Theme.px(24)
                                        height: infoText.implicitHeight + Theme.px(10)
                                        radius: height / 2
                                        color: "#FBEFD8"
                                        border.color: Theme.gold
                                        Text {
                                            id: infoText
                                            anchors.centerIn: parent
                                            text: modelData
                                            color: Theme.ink
                                            font.family: Theme.fontFamily
                                            font.pixelSize: Theme.fontSmall
                                        }
                                    }
                                }
                            }
                            RowLayout {
                                Layout.fillWidth: true
                                spacing: Theme.px(14)
                                Rectangle {
                                    Layout.fillWidth: true
                                    height: Theme.px(12); radius: height / 2
                                    color: Theme.placeholder
                                    Rectangle {
                                        width: parent.width * model.progress
                                        height: parent.height; radius: parent.radius
                                        color: model.completed ? Theme.gold : Theme.red
                                    }
                                }
                                Text {
                                    objectName: "routeProgress-" + model.routeId
                                    text: model.started ? model.progressText : qsTr("Not started")
                                    color: model.started ? Theme.red : Theme.inkSoft
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontSmall
                                    font.bold: model.started
                                }
                                Text {
                                    text: model.started && !model.completed ? qsTr("Continue ›") : qsTr("Open ›")
                                    color: Theme.red
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontBody
                                    font.bold: true
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
