import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// The exhibit page's links: the study routes that stop here and the quizzes that ask about it.
Column {
    id: root
    objectName: "exhibitLinks"
    property string exhibitId: ""
    spacing: Theme.px(14)
    visible: links.count > 0

    ExhibitLinks { id: links; exhibitId: root.exhibitId }

    SectionTitle { visible: links.routes.length > 0; text: qsTr("Study routes that stop here") }
    Repeater {
        model: links.routes
        delegate: linkButton
    }
    SectionTitle { visible: links.quizzes.length > 0; text: qsTr("Test yourself") }
    Repeater {
        model: links.quizzes
        delegate: linkButton
    }

    Component {
        id: linkButton
        AbstractButton {
            id: btn
            readonly property bool isRoute: modelData.routeId !== undefined
            objectName: isRoute ? "routeLink-" + modelData.routeId : "quizLink-" + modelData.quizId
            width: root.width
            implicitHeight: Math.max(Theme.touch, col.implicitHeight + Theme.px(24))
            scale: down ? 0.98 : 1.0
            onClicked: isRoute ? App.go("route", { routeId: modelData.routeId })
                               : App.go("quiz", { quizId: modelData.quizId })
            background: Rectangle {
                radius: Theme.radius
                color: btn.down ? Theme.goldLight : Theme.card
                border.color: btn.down ? Theme.red : Theme.gold
                border.width: Math.max(2, Theme.px(3))
            }
            contentItem: Item {
                Text {
                    id: icon
                    anchors { left: parent.left; leftMargin: Theme.px(20); verticalCenter: parent.verticalCenter }
                    text: btn.isRoute ? "⚑" : "?"
                    color: Theme.red
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                }
                Column {
                    id: col
                    anchors { left: parent.left; leftMargin: Theme.px(80); right: arrow.left; rightMargin: Theme.px(12); verticalCenter: parent.verticalCenter }
                    spacing: Theme.px(4)
                    Text {
                        width: parent.width
                        text: modelData.title
                        color: Theme.ink
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        wrapMode: Text.Wrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                    }
                    Text {
                        width: parent.width
                        text: btn.isRoute ? qsTr("Stop %1 of %2").arg(modelData.stop).arg(modelData.stops)
                                          : modelData.questions === 1 ? qsTr("1 question about this exhibit")
                                          : qsTr("%1 questions about this exhibit").arg(modelData.questions)
                        color: Theme.inkSoft
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        elide: Text.ElideRight
                    }
                }
                Text {
                    id: arrow
                    anchors { right: parent.right; rightMargin: Theme.px(20); verticalCenter: parent.verticalCenter }
                    text: "›"
                    color: Theme.red
                    font.pixelSize: Theme.fontTitle
                }
            }
        }
    }
}
