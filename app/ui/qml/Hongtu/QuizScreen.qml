import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// The quiz list: every quiz of the pack with its questions per round and time limit, and the
// ways in: a solo round, a two-player PK round, the leaderboard.
ScreenPage {
    id: page
    objectName: "screen-quiz"
    screenName: "quiz"
    title: qsTr("Quiz")

    QuizCatalog { id: catalog }

    function limitText(s) {
        return s % 60 === 0 ? qsTr("%1 min").arg(s / 60) : qsTr("%1 s").arg(s)
    }

    ListView {
        id: list
        objectName: "quizList"
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.gap
        clip: true
        boundsBehavior: Flickable.DragOverBounds
        ScrollIndicator.vertical: ScrollIndicator { }
        model: catalog.quizzes
        header: Column {
            width: list.width
            topPadding: Theme.margin
            bottomPadding: Theme.gap
            spacing: Theme.px(10)
            SectionTitle { text: qsTr("Test yourself, PK a friend") }
            Text {
                width: parent.width
                text: qsTr("Answer before the time runs out; after each answer you see why, and the exhibit it comes from. In PK mode two visitors stand side by side and answer the same questions: most right answers wins, and if equal, the faster one.")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                wrapMode: Text.Wrap
                lineHeight: 1.2
            }
            Text {
                visible: !catalog.loading && catalog.quizzes.length === 0
                width: parent.width
                text: catalog.error !== "" ? qsTr("The quizzes could not be loaded.") : qsTr("This exhibition has no quizzes yet.")
                color: Theme.redBright
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                wrapMode: Text.Wrap
            }
        }
        footer: Item { width: 1; height: Theme.margin }
        delegate: Rectangle {
            objectName: "quizCard-" + modelData.quizId
            width: list.width
            height: cardCol.implicitHeight + Theme.px(56)
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.line
            border.width: Math.max(2, Theme.px(2))
            Rectangle { width: Theme.px(10); height: parent.height - 2 * parent.radius; y: parent.radius; color: Theme.red }
            ColumnLayout {
                id: cardCol
                anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.px(28); leftMargin: Theme.px(44) }
                spacing: Theme.px(14)
                Text {
                    Layout.fillWidth: true
                    text: modelData.title
                    color: Theme.red
                    font.family: Theme.titleFamily
                    font.pixelSize: Theme.fontLarge
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                Text {
                    Layout.fillWidth: true
                    text: qsTr("%1 questions per round (of %2) · time limit %3").arg(modelData.questions).arg(modelData.total).arg(page.limitText(modelData.timeLimit))
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontBody
                    wrapMode: Text.Wrap
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    BigButton {
                        objectName: "quizStart-" + modelData.quizId
                        text: qsTr("Start")
                        onClicked: App.go("quiz-play", { quizId: modelData.quizId })
                    }
                    BigButton {
                        objectName: "quizPk-" + modelData.quizId
                        kind: "gold"
                        text: qsTr("Two-player PK")
                        onClicked: App.go("quiz-pk", { quizId: modelData.quizId })
                    }
                    BigButton {
                        objectName: "quizBoard-" + modelData.quizId
                        kind: "ghost"
                        text: qsTr("Leaderboard")
                        onClicked: App.go("quiz-board", { quizId: modelData.quizId })
                    }
                }
            }
        }
    }
}
