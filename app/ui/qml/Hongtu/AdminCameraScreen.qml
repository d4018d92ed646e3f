import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Camera calibration (admin mode): the live preview (downscaled, in memory only, only while this
// screen is open) with the counting line and the dwell zone drawn over it and dragged into place,
// the camera's state and the live counts; Save writes vision.line / vision.zone to the config file
// and restarts the counter, Cancel goes back to the saved placement.
AdminPage {
    id: page
    objectName: "screen-admin-camera"
    screenName: "admin_camera"
    title: qsTr("Camera counting")

    CameraCalibration { id: calib; objectName: "calibration" }
    Component.onCompleted: calib.openPreview()
    Component.onDestruction: { preview.release(); calib.closePreview() }

    function messageText() {
        switch (calib.messageCode) {
        case "saved": return qsTr("Saved to %1. The counter restarted with the new line and zone.").arg(calib.message)
                             + (calib.overrides !== "" ? " " + qsTr("Note: %1 is set and overrides the file.").arg(calib.overrides) : "")
        case "refused": return qsTr("Not saved: %1").arg(calib.message)
        case "noframe": return qsTr("Not saved: no picture from the camera yet. The line and zone are checked against the camera's frame.")
        case "noconfig": return qsTr("Not saved: the kiosk runs without a config file.")
        case "failed": return qsTr("Not saved: %1").arg(calib.message)
        default: return ""
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.gap
        spacing: Theme.gap

        // ---- the picture with the line and zone ----
        ColumnLayout {
          Layout.fillWidth: true
          Layout.fillHeight: true
          spacing: Theme.px(10)
          Rectangle {  // privacy: debug recording is on
                objectName: "recordingNotice"
                visible: calib.recording
                Layout.fillWidth: true
                implicitHeight: recText.implicitHeight + Theme.px(20)
                radius: Theme.px(8)
                color: "#C62828"
                Text {
                    id: recText
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(14) }
                    text: "● " + qsTr("Debug recording is ON: annotated camera frames are being saved until %1 (UTC), then it switches itself off.").arg(calib.recordingUntil.replace("T", " ").replace("+00:00", ""))
                    color: "white"
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                    wrapMode: Text.Wrap
                }
          }
          Rectangle {
            id: stage
            objectName: "calibStage"
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: Theme.radius
            color: "#1E1612"
            clip: true

            CameraPreview {
                id: preview
                objectName: "cameraPreview"
                anchors.fill: parent
                anchors.margins: Math.max(Theme.touch, 72) / 2  // room for handles at the picture's edge
                counter: calib.counter
            }
            Column {
                anchors.centerIn: parent
                width: parent.width * 0.8
                visible: !preview.hasFrame
                spacing: Theme.px(12)
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: calib.state === "running" || calib.state === "starting" ? qsTr("Waiting for the picture…") : qsTr("No picture")
                    color: Theme.goldLight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    wrapMode: Text.Wrap
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    text: calib.detail
                    visible: text !== ""
                    color: "#D8CFC4"
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                }
            }
            CalibrationOverlay {
                objectName: "calibOverlay"
                anchors.fill: preview
                calib: calib
                visible: preview.hasFrame
                area: preview.paintedRect
            }
          }
          Text {  // privacy: what happens to the picture
                Layout.fillWidth: true
                text: qsTr("The preview stays in memory and stops when you leave this screen; no picture is ever saved.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
          }
        }

        // ---- state, counts and actions ----
        Flickable {
            id: side
            objectName: "calibSide"
            Layout.preferredWidth: Math.max(Theme.px(520), page.width * 0.3)
            Layout.maximumWidth: page.width * 0.4
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: sideCol.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollIndicator.vertical: ScrollIndicator { }

            ColumnLayout {
                id: sideCol
                width: side.width
                spacing: Theme.px(14)

                Rectangle {  // camera state, source, detector
                    Layout.fillWidth: true
                    implicitHeight: stateCol.implicitHeight + Theme.px(28)
                    radius: Theme.radius
                    color: Theme.card
                    border.color: Theme.line
                    border.width: Math.max(1, Theme.px(2))
                    ColumnLayout {
                        id: stateCol
                        anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(14) }
                        spacing: Theme.px(6)
                        AdminCameraStatus { objectName: "calibState"; Layout.fillWidth: true; calib: calib }
                        Text {
                            Layout.fillWidth: true
                            text: qsTr("Source: %1").arg(calib.source) + (calib.frameWidth > 0 ? "  (" + calib.frameWidth + "×" + calib.frameHeight + ")" : "")
                            color: Theme.inkSoft
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            elide: Text.ElideMiddle
                        }
                        Text {
                            Layout.fillWidth: true
                            text: qsTr("Detector: %1").arg(calib.detector)
                            color: Theme.inkSoft
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            elide: Text.ElideRight
                        }
                        Text {
                            Layout.fillWidth: true
                            visible: !calib.countingEnabled
                            text: qsTr("Counting is off in the config (vision.enabled): the camera runs only while this screen is open, and nothing is logged.")
                            color: "#9A5B00"
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                        }
                        Text {
                            Layout.fillWidth: true
                            visible: calib.state === "error" && calib.detail !== ""
                            text: calib.detail
                            color: Theme.redBright
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            wrapMode: Text.Wrap
                            maximumLineCount: 3
                            elide: Text.ElideRight
                        }
                    }
                }

                GridLayout {  // live counts
                    objectName: "calibCounts"
                    Layout.fillWidth: true
                    columns: 2
                    rowSpacing: Theme.px(10)
                    columnSpacing: Theme.px(10)
                    Repeater {
                        model: [[qsTr("In"), calib.inCount], [qsTr("Out"), calib.outCount],
                                [qsTr("Inside now"), calib.occupancy], [qsTr("Visitors in zone"), calib.visitors]]
                        delegate: Rectangle {
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                            implicitHeight: cLabel.implicitHeight + cValue.implicitHeight + Theme.px(20)
                            radius: Theme.radius
                            color: Theme.paper
                            border.color: Theme.line
                            border.width: Math.max(1, Theme.px(2))
                            Text {
                                id: cValue
                                anchors { horizontalCenter: parent.horizontalCenter; top: parent.top; topMargin: Theme.px(6) }
                                text: String(modelData[1])
                                color: Theme.red
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontTitle
                                font.bold: true
                            }
                            Text {
                                id: cLabel
                                anchors { left: parent.left; right: parent.right; top: cValue.bottom; margins: Theme.px(4) }
                                horizontalAlignment: Text.AlignHCenter
                                text: modelData[0]
                                color: Theme.inkSoft
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                }

                Text {
                    Layout.fillWidth: true
                    text: qsTr("Drag the red ends 1 and 2 to place the counting line across the passage; people crossing towards the arrow count as in. Drag the gold corners (or the zone itself) around where visitors stand.")
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }

                BigButton {
                    objectName: "calibFlip"
                    Layout.fillWidth: true
                    kind: "ghost"
                    fontSize: Theme.fontBody
                    text: "⇅ " + qsTr("Flip direction")
                    onClicked: calib.flipDirection()
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.px(12)
                    BigButton {
                        objectName: "calibSave"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        kind: "primary"
                        fontSize: Theme.fontBody
                        text: qsTr("Save")
                        enabled: calib.dirty
                        onClicked: calib.save()
                    }
                    BigButton {
                        objectName: "calibCancel"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        kind: "ghost"
                        fontSize: Theme.fontBody
                        text: qsTr("Cancel")
                        enabled: calib.dirty
                        onClicked: calib.cancel()
                    }
                }
                Text {
                    objectName: "calibMessage"
                    Layout.fillWidth: true
                    visible: text !== ""
                    text: page.messageText()
                    color: calib.messageCode === "saved" ? "#2E7D32" : Theme.redBright
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                    wrapMode: Text.Wrap
                }
            }
        }
    }
}
