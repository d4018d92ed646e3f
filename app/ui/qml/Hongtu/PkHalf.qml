import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu

// One player's half of the PK screen: its own question view and buttons (TapHandlers, so both
// halves take taps at the same time), its answered / waiting state and, after both answered,
// its own right/wrong verdict.
Rectangle {
    id: half
    property var game
    property int player: 0
    property color accent: player === 0 ? QuizColors.player1 : QuizColors.player2
    readonly property var st: game.playerStates.length > player ? game.playerStates[player] : ({})
    readonly property string name: player === 0 ? qsTr("Player 1") : qsTr("Player 2")
    readonly property string other: player === 0 ? qsTr("Player 2") : qsTr("Player 1")
    color: Theme.paper
    border.color: accent
    border.width: Math.max(3, Theme.px(4))
    radius: Theme.radius

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.px(16)
        spacing: Theme.px(12)

        // who plays here, and the score so far
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: nameRow.implicitHeight + Theme.px(16)
            radius: Theme.radius
            color: half.accent
            RowLayout {
                id: nameRow
                anchors.fill: parent
                anchors.leftMargin: Theme.px(18)
                anchors.rightMargin: Theme.px(18)
                Text {
                    Layout.fillWidth: true
                    text: half.name
                    color: "white"
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                }
                Text {
                    visible: half.game.phase === "question" || half.game.phase === "feedback"
                    text: qsTr("Right: %1").arg(half.st.correctCount !== undefined ? half.st.correctCount : 0)
                    color: "white"
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                }
            }
        }

        // before the round: each player confirms they are ready
        ColumnLayout {
            visible: half.game.phase === "ready"
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.gap
            Item { Layout.fillHeight: true }
            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: half.st.ready ? qsTr("Ready! Waiting for %1…").arg(half.other) : qsTr("Tap when you are ready")
                color: half.st.ready ? QuizColors.good : Theme.ink
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                font.bold: true
                wrapMode: Text.Wrap
            }
            QuizTapButton {
                objectName: "pkReady-" + half.player
                visible: !half.st.ready
                Layout.alignment: Qt.AlignHCenter
                Layout.minimumWidth: Theme.px(360)
                accent: half.accent
                text: qsTr("I'm ready")
                onClicked: half.game.ready(half.player)
            }
            Item { Layout.fillHeight: true }
        }

        // the question, with this player's own buttons
        Flickable {
            id: flick
            visible: half.game.phase === "question" || half.game.phase === "feedback"
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: qCol.implicitHeight
            clip: true
            boundsBehavior: Flickable.DragOverBounds
            ScrollIndicator.vertical: ScrollIndicator { }
            ColumnLayout {
                id: qCol
                width: flick.width
                spacing: Theme.px(12)
                QuizQuestionView {
                    Layout.fillWidth: true
                    game: half.game
                    player: half.player
                    accent: half.accent
                    compact: true
                }
                Text {
                    visible: half.game.phase === "feedback" && half.game.explanation !== ""
                    Layout.fillWidth: true
                    text: half.game.explanation
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    wrapMode: Text.Wrap
                }
            }
        }

        // answered / waiting / verdict
        Rectangle {
            objectName: "pkStatus-" + half.player
            visible: (half.game.phase === "question" && half.st.answered) || half.game.phase === "feedback"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(Theme.touch, statusRow.implicitHeight) + Theme.px(16)
            radius: Theme.radius
            color: half.game.phase === "feedback" ? (half.st.correct ? QuizColors.goodPale : QuizColors.badPale) : Theme.goldLight
            RowLayout {
                id: statusRow
                anchors.fill: parent
                anchors.margins: Theme.px(8)
                anchors.leftMargin: Theme.px(16)
                spacing: Theme.px(12)
                QuizMark {
                    visible: half.game.phase === "feedback"
                    kind: half.st.correct ? "right" : "wrong"
                }
                Text {
                    Layout.fillWidth: true
                    text: half.game.phase === "question" ? qsTr("Answered. Waiting for %1…").arg(half.other)
                        : (half.st.correct ? qsTr("Right!") : qsTr("Not quite"))
                          + (half.st.ready ? "  " + qsTr("Waiting for %1…").arg(half.other) : "")
                    color: half.game.phase === "feedback" ? (half.st.correct ? QuizColors.good : Theme.redBright) : Theme.ink
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                QuizTapButton {
                    objectName: "pkNext-" + half.player
                    visible: half.game.phase === "feedback" && !half.st.ready
                    accent: half.accent
                    fontSize: Theme.fontBody
                    text: half.game.questionNumber >= half.game.questionCount ? qsTr("Result") : qsTr("Next")
                    onClicked: half.game.ready(half.player)
                }
            }
        }
    }
}
