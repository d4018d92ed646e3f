import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// Stand-in for screens still being built (map, routes, quiz, search): says so, and leads home.
ScreenPage {
    id: page
    objectName: "screen-coming-soon"
    property string hallId: ""
    title: screenName === "map" ? qsTr("Red map")
         : screenName === "routes" ? qsTr("Study routes")
         : screenName === "quiz" ? qsTr("Quiz")
         : screenName === "search" ? qsTr("Search") : ""

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width - Theme.margin * 2, Theme.px(1000))
        spacing: Theme.margin
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Coming soon")
            color: Theme.red
            font.family: Theme.titleFamily
            font.pixelSize: Theme.fontHero
            font.bold: true
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("This part of the exhibition is being prepared. Please explore the halls and exhibits in the meantime.")
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            wrapMode: Text.Wrap
        }
        BigButton {
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Back to the home page")
            onClicked: App.home()
        }
    }
}
