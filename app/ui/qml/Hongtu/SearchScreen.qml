import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import Hongtu
import Hongtu.Models

// Search: a large text field (the on-screen keyboard comes up when it is tapped), results as you
// type, suggested searches for visitors who would rather not type, and the themes to browse.
ScreenPage {
    id: page
    objectName: "screen-search"
    screenName: "search"
    title: qsTr("Search")

    // how much of the content area the on-screen keyboard covers
    readonly property real keyboardCover: Qt.inputMethod.visible
        ? Math.max(0, Qt.inputMethod.keyboardRectangle.height) : 0

    SearchModel { id: search; objectName: "searchModel" }

    function runSuggestion(text) {
        Qt.inputMethod.reset()
        field.text = text
        search.searchNow(text)
    }
    function clearAll() {
        Qt.inputMethod.reset()
        field.text = ""
        search.clear()
        field.forceActiveFocus()  // cleared to type something else: keyboard up
    }
    function dismissKeyboard() {
        field.focus = false
        Qt.inputMethod.hide()
    }

    StackView.onDeactivating: dismissKeyboard()
    StackView.onRemoved: search.finish()

    ColumnLayout {
        anchors { fill: parent; margins: Theme.margin; bottomMargin: Theme.margin + page.keyboardCover }
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            TextField {
                id: field
                objectName: "searchField"
                Layout.fillWidth: true
                Layout.preferredHeight: Math.round(Theme.touch * 1.15)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
                color: Theme.ink
                placeholderText: qsTr("Tap here to type a name, place or theme")
                placeholderTextColor: Theme.inkSoft
                leftPadding: Theme.px(84)
                rightPadding: Theme.px(24)
                verticalAlignment: TextInput.AlignVCenter
                inputMethodHints: Qt.ImhNoAutoUppercase
                EnterKeyAction.actionId: EnterKeyAction.Search
                onTextChanged: search.query = text
                onAccepted: page.dismissKeyboard()
                background: Rectangle {
                    radius: Theme.radius
                    color: Theme.card
                    border.color: field.activeFocus ? Theme.red : Theme.gold
                    border.width: field.activeFocus ? Math.max(3, Theme.px(5)) : Math.max(2, Theme.px(3))
                    Text {
                        anchors { left: parent.left; leftMargin: Theme.px(26); verticalCenter: parent.verticalCenter }
                        text: "⌕"
                        color: Theme.red
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                    }
                }
            }
            BigButton {
                objectName: "searchClear"
                visible: field.text !== ""
                kind: "ghost"
                text: "✕ " + qsTr("Clear")
                onClicked: page.clearAll()
            }
            BigButton {
                objectName: "searchKeyboardToggle"
                visible: !Qt.inputMethod.visible
                kind: "primary"
                text: "⌨ " + qsTr("Keyboard")
                onClicked: { field.forceActiveFocus(); Qt.inputMethod.show() }
            }
        }

        // suggested searches (out of the way while the visitor types)
        RowLayout {
            Layout.fillWidth: true
            visible: !(Qt.inputMethod.visible && field.text !== "")
            spacing: Theme.px(16)
            Text {
                text: qsTr("Try:")
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
            ListView {
                id: suggestionRow
                objectName: "searchSuggestions"
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.touch
                orientation: ListView.Horizontal
                spacing: Theme.px(14)
                clip: true
                model: search.suggestions
                delegate: Chip {
                    text: modelData
                    selected: search.shownQuery === modelData
                    onClicked: page.runSuggestion(modelData)
                }
            }
        }

        Text {
            objectName: "searchStatus"
            Layout.fillWidth: true
            text: search.state === "idle" ? qsTr("Type on the keyboard, pick a suggestion, or browse by theme.")
                : search.state === "searching" ? qsTr("Searching…")
                : search.state === "none" ? qsTr("No exhibits match \"%1\". Try another word or a theme below.").arg(search.shownQuery)
                : search.state === "error" ? qsTr("Search is not available right now.")
                : search.count === 1 ? qsTr("1 exhibit found for \"%1\"").arg(search.shownQuery)
                : qsTr("%1 exhibits found for \"%2\"").arg(search.count).arg(search.shownQuery)
            color: search.state === "none" || search.state === "error" ? Theme.redBright : Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }

        ListView {
            id: results
            objectName: "searchResults"
            visible: search.state === "results"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: Theme.px(14)
            model: search
            boundsBehavior: Flickable.DragOverBounds
            flickDeceleration: 1500
            ScrollIndicator.vertical: ScrollIndicator { }
            delegate: SearchResultDelegate {
                width: results.width
                exhibitId: model.exhibitId
                title: model.title
                titleHtml: model.titleHtml
                period: model.period
                snippetHtml: model.snippetHtml
                thumb: model.thumb
                onOpen: (id) => { page.dismissKeyboard(); search.openResult(id) }
            }
        }

        // nothing typed, or nothing found: browse by theme
        Flickable {
            id: themes
            objectName: "searchThemes"
            visible: !results.visible
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: width
            contentHeight: themeCol.height
            boundsBehavior: Flickable.DragOverBounds
            ScrollIndicator.vertical: ScrollIndicator { }
            Column {
                id: themeCol
                width: themes.width
                spacing: Theme.gap
                SectionTitle { text: qsTr("Browse by theme"); visible: tagBrowser.count > 0 }
                TagBrowser { id: tagBrowser; width: parent.width }
            }
        }
    }
}
