import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Visitor figures for hall staff (admin mode): a period selector, headline totals, visitors per
// hour (today) and per day with touch-screen sessions beside camera counts (QtGraphs), top exhibits
// by views and by dwell time, route completion and quiz figures. Computed on the events worker.
AdminPage {
    id: page
    objectName: "screen-admin-stats"
    screenName: "admin_stats"
    title: qsTr("Visitor figures")

    VisitorStats { id: vs; objectName: "visitorStats" }

    function pct(v) { return v < 0 ? "–" : Math.round(v * 100) + "%" }
    function num(v, d) { return v < 0 ? "–" : Number(v).toFixed(d === undefined ? 1 : d) }
    function periodLabel() {
        return vs.period === "today" ? qsTr("Today") : vs.period === "7d" ? qsTr("Last 7 days") : qsTr("Last 30 days")
    }

    // the tour shows the lower part of the screen
    function scrollToEnd() { flick.contentY = Math.max(0, flick.contentHeight - flick.height) }

    Flickable {
        id: flick
        objectName: "statsFlick"
        anchors.fill: parent
        contentWidth: width
        contentHeight: col.height + Theme.margin * 2
        boundsBehavior: Flickable.DragOverBounds
        ScrollIndicator.vertical: ScrollIndicator { }

        ColumnLayout {
            id: col
            x: Theme.margin
            y: Theme.gap
            width: flick.width - Theme.margin * 2
            spacing: Theme.gap

            // period selector and actions
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.px(14)
                Repeater {
                    model: [["today", qsTr("Today")], ["7d", qsTr("Last 7 days")], ["30d", qsTr("Last 30 days")]]
                    BigButton {
                        objectName: "period-" + modelData[0]
                        kind: vs.period === modelData[0] ? "primary" : "ghost"
                        text: modelData[1]
                        fontSize: Theme.fontBody
                        onClicked: vs.period = modelData[0]
                    }
                }
                Text {
                    Layout.fillWidth: true
                    text: vs.loading ? qsTr("Counting…") : (vs.error !== "" ? vs.error : "")
                    color: vs.error !== "" ? Theme.redBright : Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                    maximumLineCount: 2
                    elide: Text.ElideRight
                }
                BigButton {
                    objectName: "statsRefresh"
                    kind: "ghost"
                    text: qsTr("Refresh")
                    fontSize: Theme.fontBody
                    enabled: !vs.loading
                    onClicked: vs.refresh()
                }
                BigButton {
                    objectName: "openSync"
                    kind: "gold"
                    text: qsTr("Sync & USB export")
                    fontSize: Theme.fontBody
                    onClicked: App.go("admin_sync", {})
                }
            }

            // headline figures
            GridLayout {
                Layout.fillWidth: true
                columns: 6
                columnSpacing: Theme.px(14)
                rowSpacing: Theme.px(14)
                Repeater {
                    model: [
                        [qsTr("Visitor sessions"), vs.totals.sessions, Theme.red],
                        [qsTr("Camera-counted visitors"), vs.totals.camera_visitors, Theme.gold],
                        [qsTr("Exhibit views"), vs.totals.exhibit_views, Theme.red],
                        [qsTr("Narrations played"), vs.totals.narrations, Theme.goldDark],
                        [qsTr("Searches"), vs.totals.searches, Theme.inkSoft],
                        [qsTr("Quiz rounds"), vs.totals.quiz_rounds, Theme.redBright]
                    ]
                    AdminStatsTile {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.fillHeight: true
                        label: modelData[0]
                        value: modelData[1] === undefined ? "–" : String(modelData[1])
                        accent: modelData[2]
                    }
                }
            }

            // charts
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                ChartBars {
                    objectName: "hourChart"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: Theme.px(430)
                    title: qsTr("Visitors per hour · today")
                    chart: vs.hourChart
                    emptyText: qsTr("No visitors yet today")
                }
                ChartBars {
                    objectName: "dayChart"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: Theme.px(430)
                    title: vs.period === "30d" ? qsTr("Visitors per day · last 30 days") : qsTr("Visitors per day · last 7 days")
                    chart: vs.dayChart
                    emptyText: qsTr("No visits recorded in this period")
                }
            }

            // rankings, routes, quiz
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                ChartRanking {
                    objectName: "topViews"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    title: qsTr("Most viewed exhibits") + " · " + page.periodLabel()
                    emptyText: qsTr("No exhibit views in this period")
                    rows: vs.topByViews.map(function (r) {
                        return { title: r.title, fraction: r.fraction, valueText: qsTr("%1 views").arg(r.value),
                                 detail: qsTr("%1 s on average").arg(Math.round(r.avgDwell)) } })
                }
                ChartRanking {
                    objectName: "topDwell"
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    barColor: Theme.goldDark
                    title: qsTr("Longest time spent") + " · " + page.periodLabel()
                    emptyText: qsTr("No exhibit views in this period")
                    rows: vs.topByDwell.map(function (r) {
                        return { title: r.title, fraction: r.fraction, valueText: qsTr("%1 min").arg(r.minutes),
                                 detail: qsTr("%1 views").arg(r.views) } })
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    Layout.alignment: Qt.AlignTop
                    spacing: Theme.gap
                    ChartRanking {
                        objectName: "routeCompletion"
                        Layout.fillWidth: true
                        barColor: "#1E6B34"
                        title: qsTr("Study routes: %1 started, %2 completed (%3)")
                               .arg(vs.routes.started || 0).arg(vs.routes.completed || 0).arg(page.pct(vs.routes.rate === undefined ? -1 : vs.routes.rate))
                        emptyText: qsTr("No study route walked in this period")
                        rows: (vs.routes.byRoute || []).map(function (r) {
                            return { title: r.title, fraction: Math.max(0, r.rate),
                                     valueText: r.completed + " / " + r.started + " · " + page.pct(r.rate), detail: "" } })
                    }
                    Rectangle {
                        objectName: "quizFigures"
                        Layout.fillWidth: true
                        implicitHeight: quizCol.implicitHeight + Theme.px(36)
                        radius: Theme.radius
                        color: Theme.card
                        border.color: Theme.line
                        border.width: Math.max(1, Theme.px(2))
                        ColumnLayout {
                            id: quizCol
                            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(18) }
                            spacing: Theme.px(8)
                            Text {
                                Layout.fillWidth: true
                                text: qsTr("Quiz")
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                            }
                            Repeater {
                                model: [
                                    [qsTr("Rounds played"), String(vs.quiz.rounds || 0)],
                                    [qsTr("Sessions that played a quiz"), page.pct(vs.quiz.participation === undefined ? -1 : vs.quiz.participation)],
                                    [qsTr("Average score"), (vs.quiz.avgPct === undefined || vs.quiz.avgPct < 0) ? page.num(vs.quiz.avgScore === undefined ? -1 : vs.quiz.avgScore) : Math.round(vs.quiz.avgPct) + "%"],
                                    [qsTr("Average time"), (vs.quiz.avgTime === undefined || vs.quiz.avgTime < 0) ? "–" : qsTr("%1 s").arg(Math.round(vs.quiz.avgTime))],
                                    [qsTr("PK duels won / lost / drawn"), (vs.quiz.win || 0) + " / " + (vs.quiz.lose || 0) + " / " + (vs.quiz.draw || 0)]
                                ]
                                RowLayout {
                                    Layout.fillWidth: true
                                    spacing: Theme.px(10)
                                    Text {
                                        Layout.fillWidth: true
                                        text: modelData[0]
                                        color: Theme.inkSoft
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        wrapMode: Text.Wrap
                                    }
                                    Text {
                                        text: modelData[1]
                                        color: Theme.ink
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
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
}
