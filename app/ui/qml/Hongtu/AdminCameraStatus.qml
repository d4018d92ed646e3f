import QtQuick
import QtQuick.Layouts
import Hongtu

// One line for the camera counter's state: a coloured dot and the state in words
// ("Counting", "No camera · retrying in 4 s", …). Used by the admin tile and the camera screen.
RowLayout {
    id: st
    property var calib: null
    property int fontSize: Theme.fontBody
    property color textColor: Theme.ink
    readonly property string state: calib ? calib.state : "off"
    readonly property string retryIn: {
        var m = calib ? /retrying in ([0-9.]+) s/.exec(calib.detail) : null
        return m ? m[1] : ""
    }
    readonly property string label: {
        switch (state) {
        case "running": return qsTr("Counting")
        case "starting": return qsTr("Starting…")
        case "no_camera": return retryIn !== "" ? qsTr("No camera · retrying in %1 s").arg(retryIn) : qsTr("No camera")
        case "retrying": return retryIn !== "" ? qsTr("Camera lost · reconnecting in %1 s").arg(retryIn) : qsTr("Camera lost · reconnecting")
        case "stopped": return qsTr("Stopped")
        case "error": return qsTr("Error")
        default: return calib && calib.countingEnabled ? qsTr("Not started") : qsTr("Counting is off")
        }
    }
    readonly property color dot: state === "running" ? "#2E7D32"
                               : (state === "starting" || state === "retrying" || state === "no_camera") ? "#C77700"
                               : state === "error" ? Theme.redBright : "#8A8A8A"
    spacing: Theme.px(12)

    Rectangle {
        Layout.alignment: Qt.AlignVCenter
        width: Math.round(st.fontSize * 0.7); height: width; radius: width / 2
        color: st.dot
    }
    Text {
        objectName: "cameraStateText"
        Layout.fillWidth: true
        text: st.label
        color: st.textColor
        font.family: Theme.fontFamily
        font.pixelSize: st.fontSize
        font.bold: true
        wrapMode: Text.Wrap
        maximumLineCount: 2
        elide: Text.ElideRight
    }
}
