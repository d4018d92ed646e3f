import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// A solo round: the question and its options on the left; progress, the round timer and, after
// each answer, the feedback (right/wrong, explanation, exhibit link) on the right. Then the result
// and the nickname entry for the leaderboard.
ScreenPage {
    id: page
    objectName: "screen-quiz-play"
    screenName: "quiz-play"
    property string quizId: ""
    property int seed: -1
    property bool entryOpen: false
    title: qgame.quizTitle !== "" ? qgame.quizTitle : qsTr("Quiz")

    function clock(s) {
        var m = Math.floor(s / 60), r = s % 60
        return m + ":" + (r < 10 ? "0" : "") + r
    }
    function seconds(t) { return qsTr("%1 s").arg(Number(t).toFixed(1)) }
    readonly property var me: qgame.playerStates.length > 0 ? qgame.playerStates[0] : ({})

    // open the nickname entry with `text` typed and press Save (the screenshot tour, tests)
    function typeNickname(text) {
        page.entryOpen = true
        if (entry.item)
            entry.item.typeAndSave(text)
    }

    QuizGame {
        id: qgame
        objectName: "quizGame"
        players: 1
        seed: page.seed
        autoStart: true
        quizId: page.quizId
        onScoreSaved: function(entryId) {
            page.entryOpen = false
            App.go("quiz-board", { quizId: page.quizId, entryId: entryId })
        }
        onPhaseChanged: if (phase !== "result") page.entryOpen = false
    }

    Text {
        anchors.centerIn: parent
        visible: qgame.phase === "loading"
        text: qsTr("Loading…")
        color: Theme.inkSoft
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontLarge
    }

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * Theme.margin, Theme.px(1100))
        visible: qgame.phase === "missing" || qgame.phase === "ready"
        spacing: Theme.margin
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qgame.phase === "missing" ? qsTr("This quiz is not available.") : qgame.quizTitle
            color: Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            wrapMode: Text.Wrap
        }
        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: Theme.gap
            BigButton { visible: qgame.phase === "ready"; text: qsTr("Start"); onClicked: qgame.start() }
            BigButton { kind: "ghost"; text: qsTr("All quizzes"); onClicked: App.back() }
        }
    }

    // ---- question and feedback --------------------------------------------------------------
    RowLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin
        visible: qgame.phase === "question" || qgame.phase === "feedback"

        Flickable {
            id: qFlick
            Layout.fillWidth: true
            Layout.fillHeight: true
            contentWidth: width
            contentHeight: qView.implicitHeight
            clip: true
            boundsBehavior: Flickable.DragOverBounds
            ScrollIndicator.vertical: ScrollIndicator { }
            QuizQuestionView {
                id: qView
                width: qFlick.width
                game: qgame
                player: 0
            }
        }

        Rectangle {
            Layout.preferredWidth: Math.round(page.width * 0.34)
            Layout.fillHeight: true
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.line
            border.width: Math.max(2, Theme.px(2))
            Flickable {
                id: side
                anchors.fill: parent
                anchors.margins: Theme.px(24)
                contentWidth: width
                contentHeight: sideCol.implicitHeight
                clip: true
                boundsBehavior: Flickable.DragOverBounds
                ScrollIndicator.vertical: ScrollIndicator { }
                ColumnLayout {
                    id: sideCol
                    width: side.width
                    spacing: Theme.px(16)

                    RowLayout {
                        Layout.fillWidth: true
                        Text {
                            objectName: "quizProgress"
                            Layout.fillWidth: true
                            text: qsTr("Question %1 / %2").arg(qgame.questionNumber).arg(qgame.questionCount)
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            wrapMode: Text.Wrap
                        }
                        Rectangle {
                            objectName: "quizTimer"
                            Layout.preferredWidth: timerText.implicitWidth + Theme.px(28)
                            Layout.preferredHeight: timerText.implicitHeight + Theme.px(12)
                            radius: height / 2
                            color: qgame.phase === "feedback" ? Theme.placeholder : (qgame.timeLeft <= 30 ? Theme.redBright : Theme.red)
                            Text {
                                id: timerText
                                anchors.centerIn: parent
                                text: page.clock(qgame.timeLeft)
                                color: qgame.phase === "feedback" ? Theme.inkSoft : Theme.goldLight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontLarge
                                font.bold: true
                            }
                        }
                    }
                    Rectangle {
                        Layout.fillWidth: true
                        Layout.preferredHeight: Math.max(8, Theme.px(12))
                        radius: height / 2
                        color: Theme.placeholder
                        Rectangle {
                            height: parent.height
                            radius: height / 2
                            width: qgame.questionCount > 0 ? parent.width * (qgame.questionNumber - (qgame.phase === "question" ? 1 : 0)) / qgame.questionCount : 0
                            color: Theme.gold
                        }
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qgame.phase === "feedback" ? qsTr("Timer paused while you read") : qsTr("Time left for the whole round")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Right so far: %1").arg(page.me.correctCount !== undefined ? page.me.correctCount : 0)
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                    }

                    // feedback
                    Rectangle {
                        objectName: "quizVerdict"
                        visible: qgame.phase === "feedback"
                        Layout.fillWidth: true
                        Layout.topMargin: Theme.px(8)
                        Layout.preferredHeight: verdictRow.implicitHeight + Theme.px(28)
                        radius: Theme.radius
                        color: page.me.correct ? QuizColors.good : Theme.redBright
                        RowLayout {
                            id: verdictRow
                            anchors.fill: parent
                            anchors.margins: Theme.px(14)
                            spacing: Theme.px(14)
                            QuizMark {
                                kind: page.me.correct ? "right" : "wrong"
                                fill: "white"
                                ink: page.me.correct ? QuizColors.good : Theme.redBright
                                implicitWidth: Math.max(Theme.px(56), 40)
                            }
                            Text {
                                Layout.fillWidth: true
                                text: page.me.correct ? qsTr("Right!") : qsTr("Not quite")
                                color: "white"
                                font.family: Theme.titleFamily
                                font.pixelSize: Theme.fontTitle
                                font.bold: true
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                    Text {
                        visible: qgame.phase === "feedback" && !page.me.correct
                        Layout.fillWidth: true
                        text: qsTr("The right answer is marked in green with a tick.")
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        wrapMode: Text.Wrap
                    }
                    Text {
                        objectName: "quizExplanation"
                        visible: qgame.phase === "feedback" && qgame.explanation !== ""
                        Layout.fillWidth: true
                        text: qgame.explanation
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        wrapMode: Text.Wrap
                        lineHeight: 1.25
                    }
                    BigButton {
                        objectName: "quizExhibitLink"
                        visible: qgame.phase === "feedback" && qgame.exhibitId !== ""
                        Layout.fillWidth: true
                        kind: "ghost"
                        text: qsTr("See the exhibit")
                        subtitle: qgame.exhibitTitle
                        onClicked: App.go("exhibit", { exhibitId: qgame.exhibitId })
                    }
                    BigButton {
                        objectName: "quizNext"
                        visible: qgame.phase === "feedback"
                        Layout.fillWidth: true
                        text: qgame.questionNumber >= qgame.questionCount ? qsTr("See my result") : qsTr("Next question")
                        onClicked: qgame.next()
                    }
                }
            }
        }
    }

    // ---- result -------------------------------------------------------------------------------
    Flickable {
        id: resultFlick
        anchors.fill: parent
        visible: qgame.phase === "result"
        contentWidth: width
        contentHeight: resultCol.implicitHeight + 2 * Theme.margin
        clip: true
        boundsBehavior: Flickable.DragOverBounds
        ColumnLayout {
            id: resultCol
            objectName: "quizResult"
            x: Math.round((resultFlick.width - width) / 2)
            y: Theme.margin
            width: Math.min(resultFlick.width - 2 * Theme.margin, Theme.px(1200))
            spacing: Theme.gap
            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qgame.timedOut ? qsTr("Time is up!") : qsTr("Round complete!")
                color: Theme.red
                font.family: Theme.titleFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
                wrapMode: Text.Wrap
            }
            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: scoreRow.implicitHeight + Theme.px(48)
                radius: Theme.radius
                color: Theme.red
                RowLayout {
                    id: scoreRow
                    anchors.fill: parent
                    anchors.margins: Theme.px(24)
                    spacing: Theme.margin
                    Repeater {
                        model: [
                            { label: qsTr("Score"), value: String(page.me.points) },
                            { label: qsTr("Right answers"), value: qsTr("%1 of %2").arg(page.me.correctCount).arg(qgame.questionCount) },
                            { label: qsTr("Time"), value: page.seconds(page.me.timeS) }
                        ]
                        Column {
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                            spacing: Theme.px(6)
                            Text {
                                width: parent.width
                                horizontalAlignment: Text.AlignHCenter
                                text: modelData.value
                                color: Theme.goldLight
                                font.family: Theme.titleFamily
                                font.pixelSize: Theme.fontHero
                                font.bold: true
                                fontSizeMode: Text.HorizontalFit
                                minimumPixelSize: Theme.fontLarge
                            }
                            Text {
                                width: parent.width
                                horizontalAlignment: Text.AlignHCenter
                                text: modelData.label
                                color: Theme.goldLight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                }
            }
            Text {
                visible: page.me.timedOutCount > 0
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("The timer ran out: %1 question(s) counted as unanswered.").arg(page.me.timedOutCount)
                color: Theme.redBright
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
            }
            Text {
                objectName: "quizSavedNote"
                visible: qgame.saved
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("Saved as “%1”: number %2 today, number %3 this month.").arg(qgame.savedNickname).arg(qgame.savedRankDay).arg(qgame.savedRankMonth)
                color: QuizColors.good
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.Wrap
            }
            BigButton {
                objectName: "quizSaveScore"
                visible: !qgame.saved
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: Theme.px(8)
                Layout.minimumWidth: Theme.px(560)
                text: qsTr("Put my name on the leaderboard")
                onClicked: page.entryOpen = true
            }
            Row {
                Layout.alignment: Qt.AlignHCenter
                spacing: Theme.gap
                BigButton {
                    kind: qgame.saved ? "primary" : "ghost"
                    text: qsTr("Leaderboard")
                    onClicked: App.go("quiz-board", { quizId: page.quizId, entryId: qgame.savedEntryId })
                }
                BigButton { kind: "gold"; text: qsTr("Play again"); onClicked: qgame.start() }
                BigButton { kind: "ghost"; text: qsTr("All quizzes"); onClicked: App.back() }
            }
        }
    }

    // ---- nickname entry with the on-screen keyboard ----------------------------------------------
    Loader {
        id: entry
        objectName: "nicknameLoader"
        anchors.fill: parent
        z: 10
        active: page.entryOpen && qgame.phase === "result" && !qgame.saved
        sourceComponent: NicknameEntry {
            quiz: qgame
            onCancelled: page.entryOpen = false
        }
    }
}
