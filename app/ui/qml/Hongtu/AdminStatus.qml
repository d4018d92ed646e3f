import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// System status: software and content versions, disk space, last delivery of visit logs, the health
// checks of `hongtu doctor` and the staff notices.
AdminPage {
    id: page
    objectName: "screen-admin-status"
    screenName: "admin_status"
    title: qsTr("System status")

    AdminStatusModel { id: st; objectName: "adminStatusModel" }

    function statusColor(s) { return s === "ok" ? "#1E6B34" : s === "warn" ? "#9A5B00" : Theme.redBright }
    function statusText(s) { return s === "ok" ? qsTr("OK") : s === "warn" ? qsTr("Check") : qsTr("Problem") }
    // a check's detail in the interface language: its English template (app/ops/doctor.py DETAILS)
    // through the translation tables, with %1, %2 … filled from its arguments
    function checkDetail(c) {
        if (!c.template) return c.detail
        var args = c.args || []
        return qsTr(c.template).replace(/%(\d)/g, function(m, i) { return i > 0 && i <= args.length ? args[i - 1] : m })
    }
    function syncLine() {
        if (st.syncError !== "") return qsTr("no delivery recorded yet")
        var s = st.sync
        if (s.last_success === undefined) return "…"
        var line = s.last_success !== "" ? String(s.last_success).replace("T", " ").substring(0, 19) : qsTr("never")
        if (s.hub_url === "") line += " · " + qsTr("USB delivery only (no hub configured)")
        if (s.backlog > 0) line += " · " + qsTr("%1 events waiting").arg(s.backlog)
        if (s.last_error !== "") line += " · " + qsTr("last error: %1").arg(s.last_error)
        return line
    }

    Flickable {
        id: flick
        objectName: "statusFlick"
        anchors.fill: parent
        contentWidth: width
        contentHeight: col.height + Theme.margin * 2
        boundsBehavior: Flickable.DragOverBounds
        ScrollIndicator.vertical: ScrollIndicator { }

        Column {
            id: col
            x: Theme.margin
            y: Theme.margin
            width: flick.width - Theme.margin * 2
            spacing: Theme.gap

            RowLayout {
                width: parent.width
                SectionTitle { Layout.fillWidth: true; text: qsTr("This kiosk") }
                BigButton {
                    objectName: "statusRefresh"
                    kind: "ghost"
                    fontSize: Theme.fontBody
                    text: st.loading ? qsTr("Checking…") : qsTr("Check again")
                    enabled: !st.loading
                    onClicked: st.refresh()
                }
            }
            GridLayout {
                width: parent.width
                columns: 2
                columnSpacing: Theme.gap
                rowSpacing: Theme.px(10)
                Repeater {
                    model: [
                        [qsTr("Software version"), "Hongtu " + Admin.version],
                        [qsTr("Content shown"), (App.packTitle !== "" ? App.packTitle : "–") + (st.installedPack !== "" ? "  (" + st.installedPack + ")" : "  (" + qsTr("built-in sample") + ")")],
                        [qsTr("Free disk space"), st.disk.free !== undefined ? qsTr("%1 of %2 free (%3 %)").arg(st.disk.free).arg(st.disk.total).arg(st.disk.percent) : "…"],
                        [qsTr("Last delivery of visit logs"), page.syncLine()]
                    ]
                    delegate: Item {
                        Layout.fillWidth: true
                        Layout.columnSpan: 2
                        implicitHeight: Math.max(k.implicitHeight, v.implicitHeight)
                        Text {
                            id: k
                            width: parent.width * 0.3
                            text: modelData[0]
                            color: Theme.inkSoft
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            wrapMode: Text.Wrap
                        }
                        Text {
                            id: v
                            x: parent.width * 0.32
                            width: parent.width * 0.68
                            text: modelData[1]
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }

            SectionTitle { text: qsTr("Health checks") }
            Text {
                visible: st.loading && st.checks.length === 0
                text: qsTr("Checking…")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            Repeater {
                objectName: "checksRepeater"
                model: st.checks
                delegate: Rectangle {
                    width: col.width
                    height: Math.max(Theme.touch * 0.8, checkRow.implicitHeight + Theme.px(20))
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.line
                    RowLayout {
                        id: checkRow
                        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(16) }
                        spacing: Theme.gap
                        Rectangle {
                            Layout.preferredWidth: Theme.px(130)
                            Layout.preferredHeight: pill.implicitHeight + Theme.px(10)
                            radius: height / 2
                            color: page.statusColor(modelData.status)
                            Text { id: pill; anchors.centerIn: parent; text: page.statusText(modelData.status); color: "white"; font.family: Theme.fontFamily; font.pixelSize: Theme.fontSmall; font.bold: true }
                        }
                        Text {
                            Layout.preferredWidth: Theme.px(260)
                            text: qsTr(modelData.name)
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            wrapMode: Text.Wrap
                        }
                        Text {
                            Layout.fillWidth: true
                            text: page.checkDetail(modelData)
                            color: Theme.inkSoft
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                        }
                    }
                }
            }

            RowLayout {
                width: parent.width
                SectionTitle { Layout.fillWidth: true; text: qsTr("Notices for staff (%1)").arg(st.notices.length) }
                BigButton {
                    objectName: "clearNotices"
                    visible: st.notices.length > 0
                    kind: "ghost"
                    fontSize: Theme.fontBody
                    text: qsTr("Clear notices")
                    onClicked: st.clearNotices()
                }
            }
            Text {
                visible: st.notices.length === 0
                text: qsTr("No notices.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            Repeater {
                model: st.notices
                delegate: Text {
                    width: col.width
                    text: "• " + String(modelData.at).replace("T", " ").substring(0, 19) + "  " + modelData.message
                    color: Theme.ink
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
