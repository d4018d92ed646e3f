import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// One study route. Left: its title, theme, duration, hall and a small map with the route's hall
// and numbered outside sites. Right: the stop list ("overview"), or the guided tour ("tour"):
// one stop at a time with progress, narration, previous/next and a link to the exhibit page;
// "done" when the visitor finished. Progress is kept for the session (RouteTour/RouteTours).
ScreenPage {
    id: page
    objectName: "screen-route"
    screenName: "route"
    property string routeId: ""
    title: tour.found ? tour.title : qsTr("Study route")

    RouteTour {
        id: tour
        objectName: "routeTour"
        routeId: page.routeId
        property string lastStep: ""
        onStepChanged: {
            var step = mode + ":" + currentIndex
            if (step !== lastStep && NarrationPlayer.state !== "idle")
                NarrationPlayer.stop()  // a new stop: the previous stop's narration ends
            lastStep = step
        }
    }
    readonly property var cur: tour.current

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        // ---- left: about the route, small map ----
        Flickable {
            id: about
            objectName: "routeAbout"
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
                spacing: Theme.px(16)
                Text {
                    visible: !tour.loading && !tour.found && page.routeId !== ""
                    width: parent.width
                    text: qsTr("This route is not available.")
                    color: Theme.redBright
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    text: tour.title
                    color: Theme.red
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    visible: tour.mode === "overview"
                    text: tour.theme
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                    lineHeight: 1.25
                }
                Flow {
                    width: parent.width
                    spacing: Theme.px(10)
                    visible: tour.found
                    Repeater {
                        model: [tour.durationText,
                                qsTr("%1 stops").arg(tour.count) + (tour.siteCount > 0 ? qsTr(" (%1 outside)").arg(tour.siteCount) : "")]
                        Rectangle {
                            width: infoText.implicitWidth + Theme.px(24)
                            height: Theme.touch
                            radius: Theme.radius
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
                    AbstractButton {  // the route's hall (a long name wraps instead of being cut)
                        id: hallButton
                        objectName: "routeHallButton"
                        width: Math.min(aboutCol.width, hallLabel.implicitWidth + Theme.px(48))
                        height: Math.max(Theme.touch, hallLabel.height + Theme.px(20))
                        scale: down ? 0.96 : 1.0
                        onClicked: App.go("hall", { hallId: tour.hallId })
                        background: Rectangle {
                            radius: Theme.radius
                            color: hallButton.down ? Theme.goldLight : Theme.card
                            border.color: Theme.gold
                            border.width: Math.max(2, Theme.px(2))
                        }
                        contentItem: Item {
                            Text {
                                id: hallLabel
                                anchors.centerIn: parent
                                width: Math.min(implicitWidth, aboutCol.width - Theme.px(48))
                                text: tour.hallName + " ›"
                                color: Theme.red
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                wrapMode: Text.Wrap
                                horizontalAlignment: Text.AlignHCenter
                            }
                        }
                    }
                }
                MapView {
                    id: routeMap
                    objectName: "routeMap"
                    visible: tour.found && tour.mapSource !== "" && tour.mapPins.length > 0
                    width: parent.width
                    height: Math.round(width * 0.75)
                    zoomable: false
                    fitToPins: true
                    showLabels: false
                    source: tour.mapSource
                    pins: tour.mapPins
                    path: tour.mapPath
                    selectedKey: tour.mode === "tour" ? tour.currentPinKey : ""
                    onPinTapped: (key) => { if (key.indexOf("stop-") === 0) tour.goTo(parseInt(key.substring(5))) }
                }
                Text {
                    width: parent.width
                    visible: routeMap.visible
                    text: tour.siteCount > 0 ? qsTr("Gold line: the way of the route. Numbered pins: the stops outside the hall.")
                                             : qsTr("All stops of this route are in the hall marked on the map.")
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }

        Rectangle { Layout.fillHeight: true; width: Math.max(2, Theme.px(3)); color: Theme.line }

        // ---- right: the stop list / the tour / done ----
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            // overview
            ColumnLayout {
                objectName: "routeOverview"
                anchors.fill: parent
                visible: tour.mode === "overview"
                spacing: Theme.gap
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.px(14)
                    SectionTitle {
                        Layout.fillWidth: true
                        text: qsTr("Stops (%1)").arg(tour.count)
                        subtitle: tour.resumeText !== "" ? qsTr("Your progress: %1").arg(tour.resumeText) : ""
                    }
                    BigButton {
                        objectName: "routeRestart"
                        visible: tour.inProgress || tour.completed
                        kind: "ghost"
                        text: qsTr("Start again")
                        onClicked: tour.restart()
                    }
                    BigButton {
                        objectName: "routeStart"
                        visible: tour.count > 0
                        kind: "primary"
                        text: tour.inProgress ? qsTr("Continue the tour") : qsTr("Start the tour")
                        onClicked: tour.start()
                    }
                }
                ListView {
                    id: stopList
                    objectName: "routeStops"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    clip: true
                    spacing: Theme.px(12)
                    model: tour.stops
                    boundsBehavior: Flickable.DragOverBounds
                    ScrollIndicator.vertical: ScrollIndicator { }
                    delegate: RouteStopRow {
                        width: stopList.width
                        stop: modelData
                        current: tour.inProgress && index === tour.currentIndex
                        onClicked: tour.startAt(index)
                    }
                }
            }

            // the tour, one stop at a time
            ColumnLayout {
                objectName: "routeStep"
                anchors.fill: parent
                visible: tour.mode === "tour"
                spacing: Theme.px(18)

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.px(18)
                    Text {
                        objectName: "routeProgressText"
                        text: tour.progressText
                        color: Theme.red
                        font.family: Theme.titleFamily
                        font.pixelSize: Theme.fontLarge
                        font.bold: true
                    }
                    Rectangle {
                        objectName: "routeProgressBar"
                        Layout.fillWidth: true
                        height: Theme.px(14); radius: height / 2
                        color: Theme.placeholder
                        Rectangle {
                            width: parent.width * tour.progress
                            height: parent.height; radius: parent.radius
                            color: Theme.red
                            Behavior on width { NumberAnimation { duration: App.animate ? 200 : 0 } }
                        }
                    }
                    BigButton {
                        objectName: "routeAllStops"
                        kind: "ghost"
                        text: qsTr("All stops")
                        onClicked: tour.showOverview()
                    }
                }

                Rectangle {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.line
                    border.width: Math.max(1, Theme.px(2))
                    clip: true

                    Flickable {
                        id: stepFlick
                        objectName: "routeStepFlick"
                        anchors.fill: parent
                        anchors.margins: Theme.px(20)
                        contentWidth: width
                        contentHeight: stepCol.height
                        clip: true
                        boundsBehavior: Flickable.DragOverBounds
                        ScrollIndicator.vertical: ScrollIndicator { }
                        Connections { target: tour; function onStepChanged() { stepFlick.contentY = 0 } }

                        Column {
                            id: stepCol
                            width: stepFlick.width
                            spacing: Theme.px(16)

                            Row {
                                spacing: Theme.px(12)
                                Rectangle {
                                    width: Math.max(48, Theme.px(60)); height: width; radius: width / 2
                                    color: page.cur.kind === "site" ? Theme.red : Theme.gold
                                    Text {
                                        anchors.centerIn: parent
                                        text: page.cur.number || ""
                                        color: page.cur.kind === "site" ? Theme.goldLight : Theme.redDark
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontLarge
                                        font.bold: true
                                    }
                                }
                                Rectangle {
                                    anchors.verticalCenter: parent.verticalCenter
                                    width: kindText.implicitWidth + Theme.px(28)
                                    height: kindText.implicitHeight + Theme.px(10)
                                    radius: height / 2
                                    color: page.cur.kind === "site" ? Theme.redDark : "#FBEFD8"
                                    border.color: Theme.gold
                                    Text {
                                        id: kindText
                                        anchors.centerIn: parent
                                        text: page.cur.kind === "site" ? qsTr("Outside site") : qsTr("Exhibit in the hall")
                                        color: page.cur.kind === "site" ? Theme.goldLight : Theme.red
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        font.bold: true
                                    }
                                }
                            }

                            Text {
                                objectName: "routeStopTitle"
                                width: parent.width
                                text: page.cur.title || ""
                                color: Theme.red
                                font.family: Theme.titleFamily
                                font.pixelSize: Theme.fontLarge * 1.15
                                font.bold: true
                                wrapMode: Text.Wrap
                            }

                            // exhibit stop: picture beside its period and summary
                            Row {
                                visible: page.cur.kind === "exhibit"
                                width: parent.width
                                spacing: Theme.px(20)
                                SmartImage {
                                    id: stopPic
                                    width: Math.round(parent.width * 0.42)
                                    height: Math.round(width * 0.72)
                                    source: page.cur.thumb || ""
                                    label: page.cur.missing ? qsTr("This exhibit is not available.") : ""
                                    fillMode: Image.PreserveAspectFit
                                }
                                Column {
                                    width: parent.width - stopPic.width - parent.spacing
                                    spacing: Theme.px(10)
                                    Text {
                                        width: parent.width
                                        visible: (page.cur.period || "") !== ""
                                        text: page.cur.period || ""
                                        color: Theme.goldDark
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontBody
                                        font.bold: true
                                        wrapMode: Text.Wrap
                                    }
                                    Text {
                                        width: parent.width
                                        text: page.cur.summary || ""
                                        color: Theme.ink
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontBody
                                        wrapMode: Text.Wrap
                                        lineHeight: 1.3
                                    }
                                }
                            }

                            // outside site: address and intro
                            Text {
                                width: parent.width
                                visible: page.cur.kind === "site" && (page.cur.address || "") !== ""
                                text: qsTr("Address: %1").arg(page.cur.address || "")
                                color: Theme.inkSoft
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                wrapMode: Text.Wrap
                            }
                            Text {
                                width: parent.width
                                visible: page.cur.kind === "site"
                                text: page.cur.intro || ""
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontLarge
                                wrapMode: Text.Wrap
                                lineHeight: 1.35
                            }
                        }
                    }
                }

                NarrationBar {
                    objectName: "routeNarration"
                    Layout.fillWidth: true
                    exhibitId: page.cur.kind === "exhibit" && !page.cur.missing ? page.cur.exhibitId : ""
                    text: page.cur.kind === "site" ? (page.cur.narrationText || "") : ""
                    showCaption: true
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.px(16)
                    BigButton {
                        objectName: "routePrev"
                        kind: "ghost"
                        fontSize: Theme.fontBody
                        text: "‹ " + qsTr("Previous stop")
                        enabled: !tour.atFirst
                        onClicked: tour.previous()
                    }
                    Item { Layout.fillWidth: true }
                    BigButton {
                        objectName: "routeOpenExhibit"
                        visible: page.cur.kind === "exhibit" && !page.cur.missing
                        kind: "gold"
                        fontSize: Theme.fontBody
                        text: qsTr("Exhibit page ›")
                        onClicked: App.go("exhibit", { exhibitId: page.cur.exhibitId })
                    }
                    Item { Layout.fillWidth: true }
                    BigButton {
                        objectName: "routeNext"
                        kind: "primary"
                        fontSize: Theme.fontBody
                        text: tour.atLast ? qsTr("Finish the route") : qsTr("Next stop") + " ›"
                        onClicked: tour.next()
                    }
                }
            }

            // finished
            Column {
                objectName: "routeDone"
                visible: tour.mode === "done"
                anchors.centerIn: parent
                width: Math.min(parent.width, Theme.px(820))
                spacing: Theme.gap
                Rectangle {
                    anchors.horizontalCenter: parent.horizontalCenter
                    width: Theme.px(140); height: width; radius: width / 2
                    color: Theme.red
                    border.color: Theme.gold; border.width: Theme.px(6)
                    Text {
                        anchors.centerIn: parent
                        text: "★"
                        color: Theme.gold
                        font.pixelSize: parent.width * 0.55
                    }
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("Route completed")
                    color: Theme.red
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("You have visited all %1 stops of this route. Thank you for learning with us!").arg(tour.count)
                    color: Theme.ink
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    wrapMode: Text.Wrap
                }
                Row {
                    anchors.horizontalCenter: parent.horizontalCenter
                    spacing: Theme.gap
                    BigButton {
                        objectName: "routeDoneStops"
                        kind: "ghost"
                        text: qsTr("All stops")
                        onClicked: tour.showOverview()
                    }
                    BigButton {
                        objectName: "routeDoneAgain"
                        kind: "ghost"
                        text: qsTr("Start again")
                        onClicked: tour.restart()
                    }
                    BigButton {
                        objectName: "routeDoneRoutes"
                        kind: "primary"
                        text: qsTr("More study routes")
                        onClicked: App.go("routes", {})
                    }
                }
            }
        }
    }
}
