import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// Two-player PK: the screen split in two halves side by side (player 1 left, player 2 right),
// the same question in each with its own buttons; the round timer and progress in the middle;
// then the winner screen (most right answers, then less time; equal = a draw).
ScreenPage {
    id: page
    objectName: "screen-quiz-pk"
    screenName: "quiz-pk"
    property string quizId: ""
    property int seed: -1
    title: qgame.quizTitle !== "" ? qsTr("PK: %1").arg(qgame.quizTitle) : qsTr("Two-player PK")

    function clock(s) {
        var m = Math.floor(s / 60), r = s % 60
        return m + ":" + (r < 10 ? "0" : "") + r
    }
    function seconds(t) { return qsTr("%1 s").arg(Number(t).toFixed(1)) }
    // window coordinates of the centre of the item called `name` (tests drive real touches)
    function centerOf(name) {
        var it = findItem(page, name)
        return it ? it.mapToItem(null, it.width / 2, it.height / 2) : Qt.point(-1, -1)
    }
    function findItem(item, name) {
        if (item.objectName === name)
            return item
        for (var i = 0; i < item.children.length; ++i) {
            var found = findItem(item.children[i], name)
            if (found)
                return found
        }
        return null
    }

    QuizGame {
        id: qgame
        objectName: "quizGame"
        players: 2
        seed: page.seed
        quizId: page.quizId
    }

    Text {
        anchors.centerIn: parent
        visible: qgame.phase === "loading" || qgame.phase === "missing"
        text: qgame.phase === "missing" ? qsTr("This quiz is not available.") : qsTr("Loading…")
        color: Theme.inkSoft
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontLarge
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.px(20)
        spacing: Theme.px(14)
        visible: qgame.phase === "ready" || qgame.phase === "question" || qgame.phase === "feedback"

        // shared strip: rules before the round, progress and the round timer during it
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Text {
                objectName: "pkProgress"
                Layout.fillWidth: true
                text: qgame.phase === "ready"
                      ? qsTr("%1 questions, %2 for the round. Most right answers wins; if equal, the faster player wins.").arg(qgame.questionCount).arg(page.clock(qgame.timeLimit))
                      : qsTr("Question %1 / %2").arg(qgame.questionNumber).arg(qgame.questionCount)
                color: Theme.ink
                font.family: Theme.fontFamily
                font.pixelSize: qgame.phase === "ready" ? Theme.fontBody : Theme.fontLarge
                font.bold: qgame.phase !== "ready"
                wrapMode: Text.Wrap
            }
            Rectangle {
                objectName: "pkTimer"
                visible: qgame.phase !== "ready"
                Layout.preferredWidth: pkTime.implicitWidth + Theme.px(32)
                Layout.preferredHeight: pkTime.implicitHeight + Theme.px(10)
                radius: height / 2
                color: qgame.phase === "feedback" ? Theme.placeholder : (qgame.timeLeft <= 30 ? Theme.redBright : Theme.red)
                Text {
                    id: pkTime
                    anchors.centerIn: parent
                    text: page.clock(qgame.timeLeft)
                    color: qgame.phase === "feedback" ? Theme.inkSoft : Theme.goldLight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.px(20)
            PkHalf {
                objectName: "pkHalf-0"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                game: qgame
                player: 0
            }
            Rectangle { Layout.fillHeight: true; Layout.preferredWidth: Math.max(4, Theme.px(6)); color: Theme.gold; radius: width / 2 }
            PkHalf {
                objectName: "pkHalf-1"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 1
                game: qgame
                player: 1
            }
        }
    }

    // ---- winner screen -----------------------------------------------------------------------
    Flickable {
        id: winFlick
        anchors.fill: parent
        visible: qgame.phase === "result"
        contentWidth: width
        contentHeight: winCol.implicitHeight + 2 * Theme.margin
        clip: true
        boundsBehavior: Flickable.DragOverBounds
        ColumnLayout {
            id: winCol
            objectName: "pkWinner"
            x: Math.round((winFlick.width - width) / 2)
            y: Theme.margin
            width: Math.min(winFlick.width - 2 * Theme.margin, Theme.px(1500))
            spacing: Theme.gap
            Text {
                objectName: "pkWinnerTitle"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qgame.winner === 0 ? qsTr("Player 1 wins!") : qgame.winner === 1 ? qsTr("Player 2 wins!") : qsTr("It's a draw!")
                color: qgame.winner === 1 ? QuizColors.player2 : Theme.red
                font.family: Theme.titleFamily
                font.pixelSize: Theme.fontHero
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qgame.winner === -1 ? qsTr("Same number of right answers in the same time.")
                                         : qsTr("Most right answers wins; if equal, the faster player wins.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.margin
                Repeater {
                    model: qgame.playerStates
                    Rectangle {
                        readonly property bool won: qgame.winner === index
                        readonly property color accent: index === 0 ? QuizColors.player1 : QuizColors.player2
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.preferredHeight: pCol.implicitHeight + Theme.px(48)
                        Layout.fillHeight: true
                        radius: Theme.radius
                        color: won ? accent : Theme.card
                        border.color: accent
                        border.width: Math.max(3, Theme.px(4))
                        ColumnLayout {
                            id: pCol
                            anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(24) }
                            spacing: Theme.px(10)
                            RowLayout {
                                Layout.fillWidth: true
                                Text {
                                    Layout.fillWidth: true
                                    text: index === 0 ? qsTr("Player 1") : qsTr("Player 2")
                                    color: won ? "white" : accent
                                    font.family: Theme.titleFamily
                                    font.pixelSize: Theme.fontLarge
                                    font.bold: true
                                }
                                Rectangle {
                                    visible: won || qgame.winner === -1
                                    Layout.preferredWidth: badgeRow.implicitWidth + Theme.px(24)
                                    Layout.preferredHeight: badgeRow.implicitHeight + Theme.px(12)
                                    radius: height / 2
                                    color: Theme.gold
                                    Row {
                                        id: badgeRow
                                        anchors.centerIn: parent
                                        spacing: Theme.px(8)
                                        QuizMark { visible: won; kind: "right"; fill: Theme.redDark; ink: Theme.goldLight; anchors.verticalCenter: parent.verticalCenter }
                                        Text {
                                            anchors.verticalCenter: parent.verticalCenter
                                            text: won ? qsTr("Winner") : qsTr("Draw")
                                            color: Theme.redDark
                                            font.family: Theme.fontFamily
                                            font.pixelSize: Theme.fontBody
                                            font.bold: true
                                        }
                                    }
                                }
                            }
                            Text {
                                text: qsTr("%1 points").arg(modelData.points)
                                color: won ? Theme.goldLight : Theme.ink
                                font.family: Theme.titleFamily
                                font.pixelSize: Theme.fontHero
                                font.bold: true
                            }
                            Text {
                                Layout.fillWidth: true
                                text: qsTr("%1 of %2 right · time %3").arg(modelData.correctCount).arg(qgame.questionCount).arg(page.seconds(modelData.timeS))
                                color: won ? "white" : Theme.inkSoft
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                wrapMode: Text.Wrap
                            }
                            Text {
                                visible: modelData.timedOutCount > 0
                                Layout.fillWidth: true
                                text: qsTr("%1 unanswered when the time ran out").arg(modelData.timedOutCount)
                                color: won ? "white" : Theme.redBright
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                }
            }
            Flow {
                Layout.alignment: Qt.AlignHCenter
                spacing: Theme.gap
                BigButton { objectName: "pkAgain"; kind: "gold"; text: qsTr("Play again"); onClicked: qgame.abandon() }
                BigButton { kind: "ghost"; text: qsTr("All quizzes"); onClicked: App.back() }
            }
        }
    }
}
