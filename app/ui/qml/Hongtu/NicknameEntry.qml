import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// The nickname for the leaderboard, typed on the kiosk's on-screen keyboard (KeyboardPanel in
// Main.qml: Qt Virtual Keyboard, Chinese pinyin and English, the globe key switches). The field
// takes focus when the entry opens, which brings the keyboard up. Blank and over-long names are
// refused with the reason shown; "Skip" leaves without saving.
Rectangle {
    id: entry
    objectName: "nicknameEntry"
    property var quiz
    signal cancelled()
    color: Theme.paper

    // swallow taps so nothing underneath reacts
    MouseArea { anchors.fill: parent }

    function save() {
        Qt.inputMethod.commit()
        entry.quiz.saveScore(field.text)
    }
    function typeAndSave(text) {
        field.text = text
        save()
    }
    function dismiss() {
        field.focus = false
        Qt.inputMethod.hide()
    }

    Component.onCompleted: field.forceActiveFocus()
    Component.onDestruction: Qt.inputMethod.hide()

    ColumnLayout {
        id: form
        anchors { top: parent.top; horizontalCenter: parent.horizontalCenter; topMargin: Theme.px(28) }
        width: Math.min(parent.width - 2 * Theme.margin, Theme.px(1300))
        spacing: Theme.px(14)

        Text {
            Layout.fillWidth: true
            text: qsTr("Your nickname for the leaderboard")
            color: Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            text: qsTr("Up to %1 characters. Type in Chinese (pinyin) or English; the globe key switches.").arg(entry.quiz.maxNickname)
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            TextField {
                id: field
                objectName: "nicknameField"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                placeholderText: qsTr("Nickname")
                color: Theme.ink
                leftPadding: Theme.px(20)
                background: Rectangle {
                    radius: Theme.radius
                    color: Theme.card
                    border.color: entry.quiz.nicknameError !== "" ? Theme.redBright : (field.activeFocus ? Theme.red : Theme.line)
                    border.width: Math.max(2, Theme.px(4))
                }
                onTextChanged: if (entry.quiz.nicknameError !== "") entry.quiz.clearNicknameError()
                onAccepted: entry.save()
            }
            Text {
                objectName: "nicknameCount"
                text: field.length + " / " + entry.quiz.maxNickname
                color: field.length > entry.quiz.maxNickname ? Theme.redBright : Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: field.length > entry.quiz.maxNickname
            }
            BigButton {
                objectName: "nicknameSave"
                text: entry.quiz.saving ? qsTr("Saving…") : qsTr("Save")
                enabled: !entry.quiz.saving
                onClicked: entry.save()
            }
            BigButton {
                objectName: "nicknameSkip"
                kind: "ghost"
                text: qsTr("Skip")
                onClicked: { entry.dismiss(); entry.cancelled() }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(Theme.px(44), errText.implicitHeight)
            spacing: Theme.px(12)
            QuizMark { visible: errText.text !== ""; kind: "wrong"; implicitWidth: Math.max(Theme.px(36), 26) }
            Text {
                id: errText
                objectName: "nicknameError"
                Layout.fillWidth: true
                text: entry.quiz.nicknameError
                color: Theme.redBright
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.Wrap
            }
        }
    }
}
