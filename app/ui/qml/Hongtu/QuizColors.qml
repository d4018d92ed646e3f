pragma Singleton
import QtQuick

// Colours the quiz screens add to the Theme: right/wrong feedback and the two PK players.
QtObject {
    readonly property color good: "#2E7D32"
    readonly property color goodPale: "#E4F2E5"
    readonly property color badPale: "#FBE4E1"
    readonly property color player1: "#8B0000"
    readonly property color player2: "#1F4E79"
}
