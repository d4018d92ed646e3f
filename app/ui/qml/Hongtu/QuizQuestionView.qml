import QtQuick
import QtQuick.Layouts
import Hongtu

// The question on screen for one player: prompt, how to answer, the options and (multi-choice)
// the confirm button. Solo shows one; PK shows one per half, each with its own buttons.
ColumnLayout {
    id: view
    property var game
    property int player: 0
    property bool compact: false
    property color accent: Theme.red
    readonly property var st: game && game.playerStates.length > player ? game.playerStates[player] : ({ answered: false, selected: [], chosen: [] })
    readonly property bool feedback: game && game.phase === "feedback"
    readonly property bool multi: game && game.questionType === "multi"
    spacing: compact ? Theme.px(14) : Theme.gap

    function markFor(i) {
        var chosen = view.st.chosen && view.st.chosen.indexOf(i) >= 0
        if (view.feedback) {
            var right = view.game.correctOptions.indexOf(i) >= 0
            if (chosen && right) return "correct"
            if (chosen) return "wrong"
            return right ? "missed" : "dim"
        }
        // PK: answered, the other player still thinking. The choice stays hidden until both have
        // answered: the two halves are side by side, and a highlighted option would give it away.
        if (view.st.answered) return "dim"
        if (view.multi && view.st.selected && view.st.selected.indexOf(i) >= 0) return "selected"
        return "normal"
    }

    Text {
        objectName: "quizPrompt" + view.player
        Layout.fillWidth: true
        text: view.game ? view.game.prompt : ""
        color: Theme.ink
        font.family: Theme.titleFamily
        font.pixelSize: view.compact ? Theme.fontBody : Theme.fontLarge
        font.bold: true
        wrapMode: Text.Wrap
        lineHeight: 1.15
    }
    Text {
        Layout.fillWidth: true
        text: view.game.questionType === "multi" ? qsTr("Multiple choice: tap every right answer, then confirm")
            : view.game.questionType === "truefalse" ? qsTr("True or false?") : qsTr("Single choice: tap the right answer")
        color: view.accent
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        font.bold: true
        wrapMode: Text.Wrap
    }
    Repeater {
        model: view.game ? view.game.options : []
        QuizOptionButton {
            objectName: "option-" + view.player + "-" + index
            Layout.fillWidth: true
            text: modelData
            letter: String.fromCharCode(65 + index)
            multi: view.multi
            mark: view.markFor(index)
            fontSize: view.compact ? Theme.fontSmall + Theme.px(2) : Theme.fontBody
            interactive: view.game.phase === "question" && !view.st.answered
            onTapped: view.game.choose(view.player, index)
        }
    }
    QuizTapButton {
        objectName: "confirm-" + view.player
        Layout.alignment: Qt.AlignHCenter
        Layout.minimumWidth: Theme.px(320)
        visible: view.multi && view.game.phase === "question" && !view.st.answered
        accent: view.accent
        text: view.st.selected && view.st.selected.length > 0 ? qsTr("Confirm answer (%1 chosen)").arg(view.st.selected.length) : qsTr("Choose at least one answer")
        enabled_: view.st.selected && view.st.selected.length > 0
        onClicked: view.game.confirm(view.player)
    }
}
