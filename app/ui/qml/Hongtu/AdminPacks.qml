import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Content packs: what is installed (roll back, remove) and what the USB stick offers (install with a
// progress bar and Cancel). Errors name their cause in plain words; visitors' content is unchanged.
AdminPage {
    id: page
    objectName: "screen-admin-packs"
    screenName: "admin_packs"
    title: qsTr("Content packs")
    canLeave: packs.busy !== "install"

    AdminPacksModel { id: packs; objectName: "adminPacksModel" }

    readonly property color okColor: "#1E6B34"
    readonly property color warnColor: "#9A5B00"

    function headline() {
        var k = packs.errorKind
        if (packs.messageKind === "ok") {
            if (k === "installed") return qsTr("Installed %1. Visitors will see it when the kiosk next returns to its start screen.").arg(packs.message)
            if (k === "already") return qsTr("%1 was already installed and is now the active version. Visitors will see it when the kiosk next returns to its start screen.").arg(packs.message)
            if (k === "rolledback") return qsTr("Rolled back to %1 (from %2). Visitors will see it when the kiosk next returns to its start screen.").arg(packs.message).arg(packs.detail)
            if (k === "removed") return qsTr("Removed %1.").arg(packs.message)
            return packs.message
        }
        if (k === "cancelled") return qsTr("Install cancelled. Nothing was changed.")
        return page.causeText(k) + " " + qsTr("The content visitors see is unchanged.")
    }
    function causeText(k) {
        if (k === "signature") return qsTr("Not installed: the pack's signature is missing or not from a trusted publisher.")
        if (k === "usb") return qsTr("Not installed: the file could not be read. Was the USB stick pulled out? Plug it in and try again.")
        if (k === "disk") return qsTr("Not installed: the kiosk's disk is full. Remove an old version and try again.")
        if (k === "damaged") return qsTr("Not installed: the file is damaged or incomplete. Copy it onto the stick again.")
        if (k === "unsafe") return qsTr("Not installed: the file is not a genuine pack and may be harmful. Tell your technician.")
        if (k === "content") return qsTr("Not installed: the pack's content has mistakes. Send the message below to the publisher.")
        if (k === "schema") return qsTr("Not installed: this pack needs newer kiosk software.")
        if (k === "version") return qsTr("Not installed: a different pack with the same version number is already installed.")
        if (k === "busy") return qsTr("Another install is running. Wait until it finishes.")
        return qsTr("The action could not be completed.")
    }
    function problemLabel(k) {
        if (k === "signature") return qsTr("Signature not trusted")
        if (k === "usb") return qsTr("Cannot be read")
        if (k === "unsafe") return qsTr("Not a genuine pack")
        if (k === "schema") return qsTr("Needs newer kiosk software")
        if (k === "damaged") return qsTr("Damaged or incomplete file")
        return qsTr("Cannot be installed")
    }
    function askRollback(packId) { rollbackConfirm.packId = packId; rollbackConfirm.open() }
    function hasPrevious(packId) {
        var rows = packs.installed
        for (var i = 0; i < rows.length; i++)
            if (rows[i].packId === packId && rows[i].previous) return true
        return false
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        // result of the last action
        Rectangle {
            objectName: "packsBanner"
            Layout.fillWidth: true
            visible: packs.messageKind !== "" && packs.busy !== "install"
            implicitHeight: bannerCol.implicitHeight + Theme.px(32)
            radius: Theme.radius
            color: packs.messageKind === "ok" ? "#E3F1E6" : packs.messageKind === "error" ? "#FBE3E0" : "#F6EEDC"
            border.color: packs.messageKind === "ok" ? page.okColor : packs.messageKind === "error" ? Theme.redBright : Theme.gold
            border.width: Math.max(2, Theme.px(2))
            Column {
                id: bannerCol
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(20) }
                spacing: Theme.px(6)
                Text {
                    objectName: "packsHeadline"
                    width: parent.width
                    text: page.headline()
                    color: packs.messageKind === "ok" ? page.okColor : packs.messageKind === "error" ? Theme.redBright : Theme.ink
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    objectName: "packsDetail"
                    width: parent.width
                    visible: packs.messageKind === "error" && packs.detail !== ""
                    text: packs.detail
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                    maximumLineCount: 3
                    elide: Text.ElideRight
                }
            }
        }

        // install progress
        Rectangle {
            objectName: "installProgress"
            Layout.fillWidth: true
            visible: packs.busy === "install"
            implicitHeight: progCol.implicitHeight + Theme.px(32)
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.gold
            border.width: Math.max(2, Theme.px(2))
            RowLayout {
                id: progCol
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(20) }
                spacing: Theme.gap
                Column {
                    Layout.fillWidth: true
                    spacing: Theme.px(10)
                    Text {
                        width: parent.width
                        text: qsTr("Installing… %1 %").arg(Math.floor(packs.progress * 100)) + "   " + packs.progressText
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Rectangle {
                        width: parent.width
                        height: Math.max(20, Theme.px(28))
                        radius: height / 2
                        color: Theme.placeholder
                        Rectangle {
                            objectName: "progressFill"
                            width: Math.max(height, parent.width * packs.progress)
                            height: parent.height
                            radius: height / 2
                            color: Theme.red
                        }
                    }
                    Text {
                        width: parent.width
                        text: qsTr("Do not pull out the USB stick. Visitors keep seeing the current content.")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                }
                BigButton {
                    objectName: "cancelInstall"
                    kind: "ghost"
                    text: qsTr("Cancel")
                    onClicked: packs.cancelInstall()
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap

            // ---- installed ------------------------------------------------------------------
            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.line
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: Theme.px(20)
                    spacing: Theme.px(12)
                    SectionTitle { text: qsTr("Installed on this kiosk") }
                    Text {
                        visible: installedList.count === 0
                        Layout.fillWidth: true
                        text: qsTr("No pack is installed yet: the kiosk shows its built-in sample content.")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                    }
                    ListView {
                        id: installedList
                        objectName: "installedList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        spacing: Theme.px(12)
                        model: packs.installed
                        ScrollIndicator.vertical: ScrollIndicator { }
                        delegate: Rectangle {
                            width: installedList.width
                            height: rowCol.implicitHeight + Theme.px(24)
                            radius: Theme.radius
                            color: modelData.active ? "#FFF8E6" : Theme.paper
                            border.color: modelData.active ? Theme.gold : Theme.line
                            border.width: Math.max(1, Theme.px(2))
                            Column {
                                id: rowCol
                                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(16) }
                                spacing: Theme.px(6)
                                Flow {
                                    width: parent.width
                                    spacing: Theme.px(10)
                                    Text {
                                        text: modelData.packId + "  " + modelData.version
                                        color: Theme.ink
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontBody
                                        font.bold: true
                                    }
                                    Repeater {
                                        model: [modelData.active ? qsTr("Active") : "", modelData.shown ? qsTr("Shown") : "",
                                                modelData.previous ? qsTr("Previous") : ""].filter(function (x) { return x !== "" })
                                        Rectangle {
                                            width: badge.implicitWidth + Theme.px(20)
                                            height: badge.implicitHeight + Theme.px(6)
                                            radius: height / 2
                                            color: modelData === qsTr("Previous") ? Theme.placeholder : Theme.red
                                            Text {
                                                id: badge
                                                anchors.centerIn: parent
                                                text: modelData
                                                color: modelData === qsTr("Previous") ? Theme.ink : Theme.goldLight
                                                font.family: Theme.fontFamily
                                                font.pixelSize: Theme.fontSmall
                                            }
                                        }
                                    }
                                }
                                Text {
                                    width: parent.width
                                    text: qsTr("installed %1 · %2 · %3 files").arg(modelData.installedAt).arg(modelData.size).arg(modelData.files)
                                          + (modelData.signed ? "" : " · " + qsTr("unsigned"))
                                    color: Theme.inkSoft
                                    font.family: Theme.fontFamily
                                    font.pixelSize: Theme.fontSmall
                                    wrapMode: Text.Wrap
                                }
                                Row {
                                    spacing: Theme.px(12)
                                    BigButton {
                                        objectName: "rollback-" + modelData.packId + "-" + modelData.version
                                        visible: modelData.active && page.hasPrevious(modelData.packId)
                                        enabled: packs.busy === ""
                                        kind: "primary"
                                        fontSize: Theme.fontBody
                                        text: qsTr("Roll back")
                                        onClicked: page.askRollback(modelData.packId)
                                    }
                                    BigButton {
                                        objectName: "remove-" + modelData.packId + "-" + modelData.version
                                        visible: !modelData.active
                                        enabled: packs.busy === ""
                                        kind: "ghost"
                                        fontSize: Theme.fontBody
                                        text: qsTr("Remove")
                                        onClicked: { removeConfirm.packId = modelData.packId; removeConfirm.version = modelData.version; removeConfirm.open() }
                                    }
                                }
                            }
                        }
                    }
                }
            }

            // ---- USB ----------------------------------------------------------------------------
            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.line
                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: Theme.px(20)
                    spacing: Theme.px(12)
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        SectionTitle { Layout.fillWidth: true; text: qsTr("On the USB stick") }
                        BigButton {
                            objectName: "refreshUsb"
                            kind: "ghost"
                            fontSize: Theme.fontBody
                            enabled: packs.busy === ""
                            text: packs.busy === "scan" ? qsTr("Searching…") : qsTr("Search again")
                            onClicked: packs.refreshUsb()
                        }
                    }
                    Text {
                        visible: usbList.count === 0
                        Layout.fillWidth: true
                        text: packs.scanned ? qsTr("No .hpack file found. Plug in the USB stick, wait a few seconds and tap \"Search again\".")
                                            : qsTr("Searching the USB stick…")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                    }
                    ListView {
                        id: usbList
                        objectName: "usbList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        spacing: Theme.px(12)
                        model: packs.usb
                        ScrollIndicator.vertical: ScrollIndicator { }
                        delegate: Rectangle {
                            width: usbList.width
                            height: usbCol.implicitHeight + Theme.px(24)
                            radius: Theme.radius
                            color: Theme.paper
                            border.color: modelData.problem !== "" ? Theme.redBright : Theme.line
                            border.width: Math.max(1, Theme.px(2))
                            RowLayout {
                                id: usbCol
                                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(16) }
                                spacing: Theme.px(12)
                                Column {
                                    Layout.fillWidth: true
                                    spacing: Theme.px(4)
                                    Text {
                                        width: parent.width
                                        text: modelData.title !== "" ? modelData.title : modelData.name
                                        color: Theme.ink
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontBody
                                        font.bold: true
                                        wrapMode: Text.Wrap
                                    }
                                    Text {
                                        width: parent.width
                                        text: (modelData.packId !== "" ? modelData.packId + "  " + modelData.version + (modelData.size !== "" ? " · " + modelData.size : "") + " · " : "") + modelData.name
                                        color: Theme.inkSoft
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                                    }
                                    Text {
                                        width: parent.width
                                        visible: modelData.publisher !== ""
                                        text: qsTr("Publisher: %1").arg(modelData.publisher)
                                        color: Theme.inkSoft
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        wrapMode: Text.Wrap
                                    }
                                    Text {
                                        width: parent.width
                                        visible: modelData.signer !== ""
                                        text: modelData.signer === "trusted" ? "✔ " + qsTr("Signed by a trusted publisher")
                                            : modelData.signer === "unsigned" ? "! " + qsTr("Not signed (this kiosk allows unsigned packs)")
                                            : "✘ " + qsTr("Signature not trusted")
                                        color: modelData.signer === "trusted" ? page.okColor : modelData.signer === "unsigned" ? page.warnColor : Theme.redBright
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        font.bold: true
                                        wrapMode: Text.Wrap
                                    }
                                    Text {
                                        width: parent.width
                                        visible: modelData.problem !== ""
                                        text: "✘ " + page.problemLabel(modelData.problemKind) + ": " + modelData.problem
                                        color: Theme.redBright
                                        font.family: Theme.fontFamily
                                        font.pixelSize: Theme.fontSmall
                                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                                        maximumLineCount: 3
                                        elide: Text.ElideRight
                                    }
                                }
                                BigButton {
                                    objectName: "install-" + index
                                    visible: modelData.problem === ""
                                    enabled: packs.busy === ""
                                    kind: "primary"
                                    fontSize: Theme.fontBody
                                    text: qsTr("Install")
                                    onClicked: packs.install(index)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    AdminConfirm {
        ownerPage: page
        id: rollbackConfirm
        objectName: "rollbackConfirm"
        property string packId: ""
        heading: qsTr("Roll back %1?").arg(packId)
        text: qsTr("The kiosk goes back to the version shown before. The newer version stays installed.")
        confirmText: qsTr("Roll back")
        onAccepted: packs.rollback(packId)
    }
    AdminConfirm {
        ownerPage: page
        id: removeConfirm
        objectName: "removeConfirm"
        property string packId: ""
        property string version: ""
        danger: true
        heading: qsTr("Remove %1 %2?").arg(packId).arg(version)
        text: qsTr("This version is deleted from the kiosk. The active version is not affected.")
        confirmText: qsTr("Remove")
        onAccepted: packs.remove(packId, version)
    }
}
