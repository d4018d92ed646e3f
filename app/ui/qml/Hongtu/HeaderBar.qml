import QtQuick
import QtQuick.Layouts
import Hongtu
import Hongtu.Models

// The bar on top of every screen: back and home (when not at home), the title, the text-size
// toggle and the zh/EN switch.
Rectangle {
    id: bar
    property string title: ""
    property bool showNav: App.depth > 1
    implicitHeight: Theme.headerHeight
    color: Theme.red

    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: Math.max(3, Theme.px(5)); color: Theme.gold }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        anchors.bottomMargin: Theme.px(5)
        spacing: Theme.gap

        BigButton {
            objectName: "backButton"
            visible: bar.showNav
            kind: "header"
            text: "‹ " + qsTr("Back")
            onClicked: App.back()
        }
        BigButton {
            objectName: "homeButton"
            visible: bar.showNav
            kind: "header"
            text: qsTr("Home")
            onClicked: App.home()
        }
        Text {
            Layout.fillWidth: true
            text: bar.title
            color: Theme.goldLight
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            elide: Text.ElideRight
            verticalAlignment: Text.AlignVCenter
        }
        BigButton {
            objectName: "textSizeButton"
            kind: App.largeText ? "gold" : "header"
            text: App.largeText ? qsTr("Normal text") : qsTr("Large text")
            fontSize: Theme.fontBody
            onClicked: App.toggleLargeText()
        }
        BigButton {
            objectName: "languageButton"
            kind: "gold"
            // label in the language you switch TO, so a visitor can read it
            text: App.language === "zh" ? "English" : "中文"
            fontSize: Theme.fontBody
            onClicked: App.toggleLanguage()
        }
    }
}
