import QtQuick
import QtQuick.Window
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles
import Hongtu
import Hongtu.Models

// The kiosk's one on-screen keyboard (Qt Virtual Keyboard), placed once in Main.qml above the
// screens. It slides up whenever a text field has focus and down when focus leaves. Chinese
// (pinyin) and English, switched with the keyboard's globe key; it starts in the visitor's
// language and returns to the default at a session reset. Screens keep their content above it
// with `Qt.inputMethod.keyboardRectangle` (window coordinates; empty when hidden).
Item {
    id: root
    objectName: "keyboardPanel"
    readonly property bool open: panel.active
    // keys can be pressed: the panel is up and its layout has set the input method (pinyin/English)
    readonly property bool ready: panel.active && InputContext.inputEngine.inputMethod !== null && inputMethodFits
    // Pinyin on the Chinese layout, however the keyboard loaded. Qt Virtual Keyboard picks the input
    // method for a layout that has just loaded only if none is set yet (Keyboard.qml, onItemChanged of
    // keyboardLayoutLoader). On a busy start the list of layouts can arrive before Component.onCompleted
    // below sets the locale, so the keyboard first loads Qt's default English layout; a field focused
    // then gets its plain input method, and the Chinese layout, loading asynchronously afterwards, kept
    // it: "hong" typed letters until the language changed. False while the loaded layout of the
    // focused field has the other language's input method (English: the plain/default one).
    readonly property bool inputMethodFits: {
        var k = panel.keyboard
        var im = InputContext.inputEngine.inputMethod
        if (!k || !im || !InputContext.priv.focus || !k.keyboardLayoutLoader.item
                || String(k.keyboardLayoutLoader.source) !== String(k.layout) || k.layoutType !== "main")
            return true  // nothing to judge yet: Qt chooses when the layout has loaded or a field takes focus
        var plain = im === k.plainInputMethod || im === k.defaultInputMethod
        return plain !== (k.locale.indexOf("zh") === 0)
    }
    onInputMethodFitsChanged: if (!inputMethodFits) Qt.callLater(fitInputMethod)  // once the keyboard is idle
    // ask the keyboard to choose again, as after a change of language (the one repair Qt omits)
    function fitInputMethod() {
        var k = panel.keyboard
        if (inputMethodFits || !k)
            return
        if (typeof k.updateInputMethod !== "function") {
            console.warn("KeyboardPanel: cannot repair the input method (Qt Virtual Keyboard changed)")
            return
        }
        k.inputMethodNeedsReset = true  // drop the other language's input method
        k.inputModeNeedsReset = true  // and start in the new one's first mode (pinyin, not Latin)
        k.updateInputMethod()
    }
    readonly property alias panel: panel

    function localeFor(lang) { return lang === "en" ? "en_US" : "zh_CN" }

    // Scripted typing through the keyboard itself (tour, tests): letters, digits and spaces are
    // pressed as virtual keys, so pinyin composes exactly as under a visitor's finger.
    function typeKeys(text) {
        var engine = InputContext.inputEngine
        for (var i = 0; i < text.length; i++) {
            var c = text.charAt(i)
            var lower = c.toLowerCase()
            var key = lower >= "a" && lower <= "z" ? Qt.Key_A + (lower.charCodeAt(0) - 97)
                    : c >= "0" && c <= "9" ? Qt.Key_0 + (c.charCodeAt(0) - 48)
                    : c === " " ? Qt.Key_Space : 0
            engine.virtualKeyClick(key, c, 0)
        }
    }
    // the word candidates the keyboard offers now (pinyin), best first
    function candidates() {
        var m = InputContext.inputEngine.wordCandidateListModel
        var out = []
        for (var i = 0; m && i < m.count; i++)
            out.push(m.dataAt(i, 0))
        return out
    }
    // commit the candidate `word`; false when it is not offered
    function selectCandidate(word) {
        var i = candidates().indexOf(word)
        if (i < 0)
            return false
        InputContext.inputEngine.wordCandidateListModel.selectItem(i)
        return true
    }
    function preedit() { return InputContext.preeditText }
    function locale() { return InputContext.locale }

    // full-width band behind the keyboard, so content never shows beside a narrower keyboard
    Rectangle {
        x: 0
        y: panel.y - Math.max(3, Theme.px(5))
        width: root.width
        height: root.height - y
        visible: panel.y < root.height
        color: "#1E1A18"
        Rectangle { width: parent.width; height: Math.max(3, Theme.px(5)); color: Theme.gold }
        MouseArea { objectName: "keyboardBandBlocker"; anchors.fill: parent }  // taps beside the keys do not fall through to the screen
    }

    InputPanel {
        id: panel
        objectName: "inputPanel"
        // key rows grow with the width: keep the keyboard under ~45% of the window height
        width: Math.min(root.width, Math.round(root.height * 1.1))
        x: Math.round((root.width - width) / 2)
        y: active ? root.height - height : root.height
        visible: y < root.height
        Behavior on y {
            enabled: App.animate
            NumberAnimation { duration: 220; easing.type: Easing.OutCubic }
        }
    }

    // Word candidates (pinyin) a full touch target high and in a readable size: the stock style
    // scales them with the keyboard width, which leaves them under 40 px on a kiosk.
    readonly property var keyboardStyle: panel.keyboard ? panel.keyboard.style : null
    Binding {
        when: root.keyboardStyle !== null
        target: root.keyboardStyle
        property: "selectionListHeight"
        value: Theme.touch
    }
    Binding {
        when: root.keyboardStyle !== null
        target: root.keyboardStyle
        property: "selectionListDelegate"
        value: candidateDelegate
    }
    Component {
        id: candidateDelegate
        SelectionListItem {
            id: candidate
            width: Math.max(Theme.touch, candidateText.implicitWidth + Theme.px(48))
            Rectangle {
                anchors.fill: parent
                anchors.margins: Theme.px(4)
                radius: Theme.radius
                color: Theme.gold
                opacity: candidate.ListView.isCurrentItem ? 0.25 : 0
            }
            Text {
                id: candidateText
                anchors.centerIn: parent
                text: wordCompletionLength > 0
                      ? display.slice(0, -wordCompletionLength) + "<u>" + display.slice(-wordCompletionLength) + "</u>"
                      : display
                textFormat: Text.StyledText
                color: candidate.ListView.isCurrentItem ? Theme.goldLight : "#FFFFFF"
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLarge
            }
            Rectangle {
                anchors { right: parent.left; verticalCenter: parent.verticalCenter }
                width: Math.max(1, Theme.px(2))
                height: parent.height * 0.45
                color: "#5C5C5C"
            }
        }
    }

    // A field can take focus before this panel exists (Main.qml loads it asynchronously; a slow
    // or busy machine, a screen that focuses its field at once): the input method's "show" for it
    // went nowhere, so bring the keyboard up now that there is one. (The Qt Virtual Keyboard
    // desktop fallback, which would otherwise steal that show, is off: kiosk.prepare_qt_environment.)
    function showForFocusedField() {
        var item = root.Window.activeFocusItem
        if (item && item.inputMethodComposing !== undefined && !item.readOnly)  // TextInput, TextEdit, TextField, TextArea
            Qt.inputMethod.show()
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = localeFor(App.language)
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = true
        Qt.callLater(showForFocusedField)  // once the InputPanel has registered with the input context
    }

    Connections {
        target: App
        function onLanguageChanged() { VirtualKeyboardSettings.locale = root.localeFor(App.language) }
    }
    Connections {
        target: Session
        function onSessionReset() {
            Qt.inputMethod.reset()
            Qt.inputMethod.hide()
            VirtualKeyboardSettings.locale = root.localeFor(App.defaultLanguage)
        }
    }
}
