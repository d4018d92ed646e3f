import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Delivery of the visit log (admin mode): where it goes (hub or USB only), last success, last error,
// events waiting; "Sync now" (one network pass), export of the waiting events to a USB stick as a
// signed bundle, and import of the hub's acknowledgement from the stick. All work runs off the GUI.
AdminPage {
    id: page
    objectName: "screen-admin-sync"
    screenName: "admin_sync"
    title: qsTr("Visit log delivery")
    canLeave: !sp.busy

    SyncPanel { id: sp; objectName: "syncPanel" }
    property string mount: sp.mounts.length > 0 ? sp.mounts[0].path : ""
    Connections {
        target: sp
        function onChanged() {
            var ok = false
            for (var i = 0; i < sp.mounts.length; ++i) if (sp.mounts[i].path === page.mount) ok = true
            if (!ok) page.mount = sp.mounts.length > 0 ? sp.mounts[0].path : ""
        }
    }

    function resultText() {
        var r = sp.result, p = r.split(":")
        if (r === "") return ""
        if (sp.resultKind === "error") return qsTr("Failed: %1").arg(r)
        if (p[0] === "delivered") return qsTr("The hub confirmed %1 events; %2 still waiting.").arg(p[1]).arg(p[2])
        if (p[0] === "exported") return qsTr("%1 events written to the USB stick:").arg(p[1])
        if (r === "nothing") return qsTr("Nothing to export: every event has been delivered.")
        if (p[0] === "acked") return qsTr("Acknowledgement imported: %1 events confirmed by the hub (%2 files).").arg(p[1]).arg(p[2])
        if (r === "noack") return qsTr("No acknowledgement file for this terminal on the stick.")
        return r
    }

    // the tour shows the lower part of the screen
    function scrollToEnd() { flick.contentY = Math.max(0, flick.contentHeight - flick.height) }

    Flickable {
        id: flick
        objectName: "syncFlick"
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

            RowLayout {
                Layout.fillWidth: true
                SectionTitle { Layout.fillWidth: true; text: qsTr("Delivery to the hub") }
                BigButton {
                    objectName: "syncRefresh"
                    kind: "ghost"
                    text: qsTr("Refresh")
                    fontSize: Theme.fontBody
                    enabled: !sp.busy
                    onClicked: sp.refresh()
                }
            }

            // status facts
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: facts.implicitHeight + Theme.px(36)
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.line
                border.width: Math.max(1, Theme.px(2))
                GridLayout {
                    id: facts
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(18) }
                    columns: 2
                    columnSpacing: Theme.gap
                    rowSpacing: Theme.px(10)
                    Repeater {
                        model: [
                            [qsTr("Hub"), sp.hubUrl !== "" ? sp.hubUrl : qsTr("USB only (no hub configured)"), ""],
                            [qsTr("This terminal"), sp.terminalId !== "" ? sp.terminalId : "–", ""],
                            [qsTr("Events waiting"), sp.loaded ? String(sp.backlog) : "…", sp.backlog > 0 ? "warn" : "ok"],
                            [qsTr("Last successful sync"), sp.lastSuccess !== "" ? sp.lastSuccess : qsTr("never"), ""],
                            [qsTr("Last error"), sp.lastError !== "" ? sp.lastErrorAt + "  " + sp.lastError : qsTr("none"), sp.errorIsCurrent ? "error" : ""],
                            [qsTr("Delivered so far"), String(sp.deliveredTotal), ""]
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
                                color: modelData[2] === "error" ? Theme.redBright : modelData[2] === "warn" ? "#9A5B00" : Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                                wrapMode: Text.Wrap
                                maximumLineCount: 3
                                elide: Text.ElideRight
                            }
                        }
                    }
                }
            }
            // outcome of the last action
            Rectangle {
                objectName: "syncResult"
                visible: sp.result !== ""
                Layout.fillWidth: true
                implicitHeight: resCol.implicitHeight + Theme.px(32)
                radius: Theme.radius
                color: sp.resultKind === "error" ? "#FBE3E0" : sp.resultKind === "ok" ? "#E3F1E6" : Theme.card
                border.color: sp.resultKind === "error" ? Theme.redBright : sp.resultKind === "ok" ? "#1E6B34" : Theme.line
                border.width: Math.max(2, Theme.px(2))
                Column {
                    id: resCol
                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(16) }
                    spacing: Theme.px(6)
                    Text {
                        width: parent.width
                        text: page.resultText()
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                    }
                    Text {
                        objectName: "exportedPath"
                        visible: sp.exportedPath !== ""
                        width: parent.width
                        text: sp.exportedPath
                        color: Theme.ink
                        font.family: "monospace"
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                        wrapMode: Text.WrapAnywhere
                    }
                }
            }
            Text {
                visible: sp.diskWarning !== "" || sp.error !== ""
                Layout.fillWidth: true
                text: sp.error !== "" ? sp.error : sp.diskWarning
                color: Theme.redBright
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                BigButton {
                    objectName: "syncNow"
                    kind: "primary"
                    text: sp.action === "push" ? qsTr("Syncing…") : qsTr("Sync now")
                    enabled: !sp.busy && sp.hubUrl !== ""
                    onClicked: sp.syncNow()
                }
                Text {
                    Layout.fillWidth: true
                    text: sp.hubUrl === "" ? qsTr("No hub is configured: carry the events to the hub on a USB stick.")
                                           : qsTr("The kiosk also syncs by itself in the background.")
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }

            SectionTitle { text: qsTr("USB stick"); subtitle: qsTr("1. Export here  2. At the hub: hongtu hub import  3. Bring the acknowledgement back and import it") }
            Text {
                visible: sp.loaded && sp.mounts.length === 0
                Layout.fillWidth: true
                text: qsTr("No USB stick found. Insert one and tap Refresh.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            Flow {
                Layout.fillWidth: true
                spacing: Theme.px(14)
                Repeater {
                    objectName: "mountsRepeater"
                    model: sp.mounts
                    BigButton {
                        kind: page.mount === modelData.path ? "primary" : "ghost"
                        text: modelData.label
                        subtitle: qsTr("%1 GB free").arg(modelData.free_gb)
                        fontSize: Theme.fontBody
                        onClicked: page.mount = modelData.path
                    }
                }
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                BigButton {
                    objectName: "exportUsb"
                    kind: "gold"
                    text: sp.action === "export" ? qsTr("Exporting…") : qsTr("Export to USB")
                    enabled: !sp.busy && page.mount !== "" && sp.tokenSet
                    onClicked: sp.exportTo(page.mount)
                }
                BigButton {
                    objectName: "importAck"
                    kind: "ghost"
                    text: sp.action === "ack" ? qsTr("Importing…") : qsTr("Import acknowledgement")
                    enabled: !sp.busy && page.mount !== "" && sp.tokenSet
                    onClicked: sp.importAck(page.mount)
                }
                Item { Layout.fillWidth: true }
            }
            Text {
                visible: !sp.tokenSet && sp.loaded
                Layout.fillWidth: true
                text: qsTr("This terminal has no sync token (sync.token in kiosk_config.yaml): bundles cannot be signed.")
                color: Theme.redBright
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
            }

        }
    }
}
