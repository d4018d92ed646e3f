import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Window
import Hongtu
import Hongtu.Models

// The kiosk window: a StackView of screens driven by App.navigate, the attract loop and the
// countdown overlay on top.
ApplicationWindow {
    id: win
    objectName: "mainWindow"
    width: 1920
    height: 1080
    visible: true
    title: "Hongtu 红图"
    color: Theme.paper
    flags: App.fullscreen ? (Qt.Window | Qt.FramelessWindowHint) : Qt.Window
    visibility: App.fullscreen ? Window.FullScreen : Window.Windowed
    font.family: Theme.fontFamily

    Binding { target: Theme; property: "scale"; value: Math.max(0.66, Math.min(win.width / 1920, win.height / 1080)) }

    StackView {
        id: stack
        objectName: "stack"
        anchors.fill: parent
        initialItem: HomeScreen { }

        pushEnter: Transition {
            ParallelAnimation {
                NumberAnimation { property: "x"; from: stack.width * 0.25; to: 0; duration: App.animate ? 260 : 0; easing.type: Easing.OutCubic }
                NumberAnimation { property: "opacity"; from: 0; to: 1; duration: App.animate ? 200 : 0 }
            }
        }
        pushExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: App.animate ? 220 : 0 } }
        popEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: App.animate ? 220 : 0 } }
        popExit: Transition {
            ParallelAnimation {
                NumberAnimation { property: "x"; from: 0; to: stack.width * 0.25; duration: App.animate ? 240 : 0; easing.type: Easing.InCubic }
                NumberAnimation { property: "opacity"; from: 1; to: 0; duration: App.animate ? 220 : 0 }
            }
        }
    }

    Connections {
        target: App
        function onNavigate(op, url, params) {
            if (op === "push")
                stack.push(url, params)
            else if (op === "pop")
                stack.pop()
            else if (op === "home")
                stack.pop(null)
            else if (op === "reset") {
                stack.pop(null, StackView.Immediate)
                if (stack.currentItem && stack.currentItem.resetView)
                    stack.currentItem.resetView()
            }
        }
    }

    // the one on-screen keyboard of the kiosk: any focused text field brings it up (loaded
    // asynchronously: Qt Virtual Keyboard would add ~50 ms before the first frame)
    Loader {
        objectName: "keyboardLoader"
        anchors.fill: parent
        z: 50
        asynchronous: true
        source: "KeyboardPanel.qml"
    }

    Loader {
        id: attract
        anchors.fill: parent
        z: 100
        active: Session.attract
        source: "AttractScreen.qml"
    }
    Loader {
        anchors.fill: parent
        z: 101
        active: Session.state === "countdown"
        source: "CountdownOverlay.qml"
    }
    // staff admin mode (issue 5): the PIN pad opened by the hidden corner gesture
    AdminLayer {
        anchors.fill: parent
        z: 200
    }
}
