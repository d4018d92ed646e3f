import QtQuick
import QtQuick.Controls.Basic
import Hongtu

// Base of every screen: a header bar and a content area. Screens set `title` and put their
// content inside. `screenName` is set by App.go().
Page {
    id: page
    property string screenName: ""
    default property alias content: body.data
    property alias header_: headerBar
    title: ""
    background: Rectangle { color: Theme.paper }
    padding: 0

    HeaderBar {
        id: headerBar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: page.title
    }
    Item {
        id: body
        anchors { left: parent.left; right: parent.right; top: headerBar.bottom; bottom: parent.bottom }
        clip: true
    }
}
