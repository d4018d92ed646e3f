import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// The admin home's camera tile: the counter's state and today's running counts at a glance; opens
// the calibration screen.
AdminTile {
    id: tile
    objectName: "tileCamera"
    CameraCalibration { id: cam }
    AdminCameraStatus { id: status; visible: false; calib: cam }
    symbol: "◉"
    text: qsTr("Camera counting")
    subtitle: status.label + (cam.state === "running" ? "  ·  " + qsTr("in %1 · out %2 · visitors %3").arg(cam.inCount).arg(cam.outCount).arg(cam.visitors) : "")
    onClicked: App.go("admin_camera", {})
}
