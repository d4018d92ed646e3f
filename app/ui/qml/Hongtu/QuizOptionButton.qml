import QtQuick
import Hongtu

// One answer option as a big touch target, driven by a TapHandler (not a MouseArea, which only
// sees one touch point): in PK mode the two halves are tapped by two people at the same time.
// mark: "normal" | "selected" (toggled / chosen, not yet judged) | "correct" (chosen, right) |
// "wrong" (chosen, wrong) | "missed" (right, not chosen) | "dim" (not chosen, not right).
Rectangle {
    id: opt
    property string text: ""
    property string letter: "A"
    property bool multi: false
    property string mark: "normal"
    property bool interactive: true
    property int fontSize: Theme.fontBody
    readonly property bool pressed: tap.pressed
    readonly property bool judged: mark === "correct" || mark === "wrong" || mark === "missed"
    signal tapped()

    implicitHeight: Math.max(Theme.touch, Math.max(label.implicitHeight, badge.height) + Theme.px(28))
    radius: Theme.radius
    color: mark === "correct" || mark === "missed" ? QuizColors.goodPale
         : mark === "wrong" ? QuizColors.badPale
         : mark === "selected" ? Theme.goldLight
         : pressed ? Theme.placeholder : Theme.card
    border.color: mark === "correct" || mark === "missed" ? QuizColors.good
                : mark === "wrong" ? Theme.redBright
                : mark === "selected" ? Theme.goldDark : (pressed ? Theme.red : Theme.line)
    border.width: mark === "normal" || mark === "dim" ? Math.max(2, Theme.px(3)) : Math.max(4, Theme.px(6))
    opacity: mark === "dim" ? 0.55 : 1
    scale: pressed ? 0.97 : 1.0
    Behavior on scale { NumberAnimation { duration: 80 } }

    // the letter (single / true-false) or a check box (multi)
    Rectangle {
        id: badge
        anchors { left: parent.left; leftMargin: Theme.px(18); verticalCenter: parent.verticalCenter }
        width: Math.max(Theme.px(52), 36)
        height: width
        radius: opt.multi ? Theme.px(8) : width / 2
        color: opt.mark === "selected" ? Theme.red : (opt.multi ? Theme.card : Theme.red)
        border.color: Theme.red
        border.width: Math.max(2, Theme.px(3))
        Text {
            anchors.centerIn: parent
            visible: !opt.multi
            text: opt.letter
            color: Theme.goldLight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
        }
        QuizMark {
            anchors.fill: parent
            anchors.margins: Theme.px(4)
            visible: opt.multi && opt.mark === "selected"
            kind: "right"
            fill: Theme.red
            ink: Theme.goldLight
        }
        Text {
            anchors.centerIn: parent
            visible: opt.multi && opt.mark !== "selected"
            text: opt.letter
            color: Theme.red
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
    }
    Text {
        id: label
        anchors { left: badge.right; leftMargin: Theme.px(18); right: verdict.left; rightMargin: Theme.px(12); verticalCenter: parent.verticalCenter }
        text: opt.text
        color: Theme.ink
        font.family: Theme.fontFamily
        font.pixelSize: opt.fontSize
        font.bold: opt.mark === "selected" || opt.judged
        wrapMode: Text.Wrap
        maximumLineCount: 4
        elide: Text.ElideRight
    }
    // verdict: a drawn tick/cross plus words, never colour alone
    Row {
        id: verdict
        anchors { right: parent.right; rightMargin: Theme.px(16); verticalCenter: parent.verticalCenter }
        spacing: Theme.px(8)
        visible: opt.judged
        width: visible ? implicitWidth : 0
        Text {
            anchors.verticalCenter: parent.verticalCenter
            text: opt.mark === "wrong" ? qsTr("Your answer") : opt.mark === "correct" ? qsTr("Your answer") : qsTr("Right answer")
            color: opt.mark === "wrong" ? Theme.redBright : QuizColors.good
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        QuizMark { anchors.verticalCenter: parent.verticalCenter; kind: opt.mark === "wrong" ? "wrong" : "right" }
    }
    TapHandler {
        id: tap
        enabled: opt.interactive
        gesturePolicy: TapHandler.ReleaseWithinBounds
        onTapped: opt.tapped()
    }
}
