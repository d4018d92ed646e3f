import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// The leaderboard of a quiz: today's and this month's top 10 (tabs), other quizzes as chips; a
// visitor's new entry (entryId) is highlighted with its rank.
ScreenPage {
    id: page
    objectName: "screen-quiz-board"
    screenName: "quiz-board"
    property string quizId: ""
    property int entryId: 0
    property string shownQuiz: quizId
    title: qsTr("Leaderboard")

    function seconds(t) { return qsTr("%1 s").arg(Number(t).toFixed(1)) }

    QuizCatalog { id: catalog }
    LeaderboardView {
        id: board
        objectName: "leaderboard"
        quizId: page.shownQuiz
        highlightId: page.shownQuiz === page.quizId ? page.entryId : 0
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        anchors.topMargin: Theme.px(28)
        spacing: Theme.px(16)

        Flow {
            visible: catalog.quizzes.length > 1
            Layout.fillWidth: true
            spacing: Theme.px(14)
            Repeater {
                model: catalog.quizzes
                Chip {
                    text: modelData.title
                    selected: modelData.quizId === page.shownQuiz
                    onClicked: page.shownQuiz = modelData.quizId
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.px(14)
            Chip {
                objectName: "boardDay"
                text: qsTr("Today")
                selected: board.period === "day"
                onClicked: board.period = "day"
            }
            Chip {
                objectName: "boardMonth"
                text: qsTr("This month")
                selected: board.period === "month"
                onClicked: board.period = "month"
            }
            Text {
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignRight
                visible: board.highlightId > 0 && board.highlightRank > 0
                text: qsTr("Your place: number %1").arg(board.highlightRank) + (board.highlightInTop ? "" : " " + qsTr("(not in the top 10)"))
                color: Theme.red
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.Wrap
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.line
            border.width: Math.max(2, Theme.px(2))
            clip: true

            ListView {
                id: rows
                objectName: "boardRows"
                anchors.fill: parent
                anchors.margins: Theme.px(12)
                model: board.entries
                boundsBehavior: Flickable.StopAtBounds
                header: RowLayout {
                    width: rows.width
                    height: Math.max(40, Theme.px(56))
                    spacing: Theme.px(12)
                    Repeater {
                        model: [
                            { t: qsTr("Rank"), w: 0.11 }, { t: qsTr("Nickname"), w: 0.37 },
                            { t: qsTr("Score"), w: 0.16 }, { t: qsTr("Right"), w: 0.16 }, { t: qsTr("Time"), w: 0.2 }
                        ]
                        Text {
                            Layout.fillWidth: true
                            Layout.preferredWidth: modelData.w * 100
                            leftPadding: index === 0 ? Theme.px(12) : 0
                            text: modelData.t
                            color: Theme.inkSoft
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                            elide: Text.ElideRight
                        }
                    }
                }
                delegate: Rectangle {
                    width: rows.width
                    height: Math.max(42, Math.round((rows.height - Math.max(40, Theme.px(56))) / 10))
                    radius: Theme.px(8)
                    color: modelData.highlight ? Theme.goldLight : (index % 2 ? Theme.paper : "transparent")
                    border.color: modelData.highlight ? Theme.goldDark : "transparent"
                    border.width: modelData.highlight ? Math.max(2, Theme.px(3)) : 0
                    RowLayout {
                        anchors.fill: parent
                        spacing: Theme.px(12)
                        Text {
                            Layout.fillWidth: true; Layout.preferredWidth: 11
                            leftPadding: Theme.px(12)
                            text: modelData.rank
                            color: modelData.rank <= 3 ? Theme.red : Theme.ink
                            font.family: Theme.titleFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                        }
                        RowLayout {
                            Layout.fillWidth: true; Layout.preferredWidth: 37
                            spacing: Theme.px(10)
                            Text {
                                Layout.fillWidth: true
                                text: modelData.nickname
                                color: Theme.ink
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontBody
                                font.bold: modelData.highlight
                                elide: Text.ElideRight
                            }
                            Rectangle {
                                visible: modelData.highlight
                                Layout.preferredWidth: youText.implicitWidth + Theme.px(20)
                                Layout.preferredHeight: youText.implicitHeight + Theme.px(6)
                                radius: height / 2
                                color: Theme.red
                                Text { id: youText; anchors.centerIn: parent; text: qsTr("You"); color: Theme.goldLight; font.family: Theme.fontFamily; font.pixelSize: Theme.fontSmall; font.bold: true }
                            }
                        }
                        Text {
                            Layout.fillWidth: true; Layout.preferredWidth: 16
                            text: modelData.points
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                        }
                        Text {
                            Layout.fillWidth: true; Layout.preferredWidth: 16
                            text: modelData.correct + " / " + modelData.total
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                        }
                        Text {
                            Layout.fillWidth: true; Layout.preferredWidth: 20
                            text: page.seconds(modelData.timeS)
                            color: Theme.ink
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontBody
                        }
                    }
                }
            }
            Text {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.margin
                horizontalAlignment: Text.AlignHCenter
                visible: !board.loading && board.entries.length === 0
                text: board.period === "day" ? qsTr("No scores yet today. Be the first!") : qsTr("No scores yet this month. Be the first!")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                wrapMode: Text.Wrap
            }
        }
    }
}
