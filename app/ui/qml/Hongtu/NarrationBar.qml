import QtQuick
import QtQuick.Controls.Basic
import Hongtu
import Hongtu.Models

// The narration bar of an exhibit page (or any page with a text to speak): play/pause, stop,
// progress (tap to seek), elapsed/total time, volume and the caption of the sentence being spoken.
// Set `exhibitId` to narrate an exhibit, or `text` to narrate free text. Only one narration plays
// at a time (NarrationPlayer is a singleton); leaving the page stops this bar's narration.
// On a terminal without an audio output the narration runs silent: the captions and the progress
// still advance, the volume buttons give way to a line saying sound is unavailable.
Rectangle {
    id: bar
    property string exhibitId: ""
    property string text: ""
    property string lang: App.language
    property bool showCaption: true

    readonly property bool mine: exhibitId !== "" ? NarrationPlayer.currentId === exhibitId
                                                  : (NarrationPlayer.currentId === "" && NarrationPlayer.state !== "idle")
    readonly property bool playing: mine && NarrationPlayer.state === "playing"
    readonly property bool paused: mine && NarrationPlayer.state === "paused"
    readonly property bool loading: mine && NarrationPlayer.state === "loading"
    readonly property bool failed: mine && NarrationPlayer.state === "error"

    implicitWidth: Theme.px(1200)
    implicitHeight: column.implicitHeight + 2 * Theme.px(16)
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.line
    border.width: Math.max(1, Theme.px(2))

    Binding { target: NarrationPlayer; property: "language"; value: bar.lang }

    function fmt(s) {
        s = Math.max(0, Math.floor(s))
        return Math.floor(s / 60) + ":" + (s % 60 < 10 ? "0" : "") + (s % 60)
    }
    function start() {
        if (exhibitId !== "")
            NarrationPlayer.toggleExhibit(exhibitId, lang)
        else if (mine)
            NarrationPlayer.toggle()
        else
            NarrationPlayer.playText(text, lang)
    }

    Component.onDestruction: if (mine) NarrationPlayer.stop()

    Column {
        id: column
        anchors.fill: parent
        anchors.margins: Theme.px(16)
        spacing: Theme.px(12)

        Row {
            width: parent.width
            spacing: Theme.gap

            BigButton {
                id: playButton
                objectName: "narrationPlay"
                kind: "primary"
                enabled: NarrationPlayer.available && !bar.loading
                text: bar.playing ? qsTr("Pause") : bar.paused ? qsTr("Resume")
                     : bar.loading ? qsTr("Preparing…") : qsTr("Listen")
                onClicked: bar.start()
            }
            BigButton {
                objectName: "narrationStop"
                kind: "ghost"
                visible: bar.playing || bar.paused || bar.loading
                text: qsTr("Stop")
                onClicked: NarrationPlayer.stop()
            }

            Item {  // progress: a touch target the height of the buttons; tap to seek
                id: track
                width: Math.max(Theme.px(200), parent.width - playButton.width - timeLabel.width - 3 * Theme.gap
                                                 - (volumeRow.visible ? volumeRow.width + Theme.gap : 0)
                                                 - (bar.playing || bar.paused || bar.loading ? playButton.width : 0))
                height: Theme.touch
                visible: NarrationPlayer.available
                Rectangle {
                    anchors.verticalCenter: parent.verticalCenter
                    width: parent.width; height: Theme.px(12); radius: height / 2
                    color: Theme.placeholder
                    Rectangle {
                        width: parent.width * (bar.mine ? NarrationPlayer.progress : 0)
                        height: parent.height; radius: parent.radius
                        color: Theme.red
                    }
                }
                MouseArea {
                    anchors.fill: parent
                    enabled: bar.playing || bar.paused
                    onClicked: (mouse) => NarrationPlayer.seek(mouse.x / width)
                }
            }
            Text {
                id: timeLabel
                anchors.verticalCenter: parent.verticalCenter
                visible: NarrationPlayer.available
                text: bar.mine ? bar.fmt(NarrationPlayer.position) + " / " + bar.fmt(NarrationPlayer.duration) : ""
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
            Row {
                id: volumeRow
                spacing: Theme.px(8)
                visible: NarrationPlayer.soundAvailable
                BigButton {
                    objectName: "narrationQuieter"
                    kind: "ghost"; text: "−"
                    Accessible.name: qsTr("Quieter")
                    enabled: NarrationPlayer.volume > 0.01
                    onClicked: NarrationPlayer.volume = Math.max(0, NarrationPlayer.volume - 0.1)
                }
                Text {
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("Volume %1").arg(Math.round(NarrationPlayer.volume * 100))
                    color: Theme.inkSoft
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
                BigButton {
                    objectName: "narrationLouder"
                    kind: "ghost"; text: "+"
                    Accessible.name: qsTr("Louder")
                    enabled: NarrationPlayer.volume < 0.99
                    onClicked: NarrationPlayer.volume = Math.min(1, NarrationPlayer.volume + 0.1)
                }
            }
        }

        Text {  // caption, or why narration is unavailable / failed
            objectName: "narrationCaption"
            width: parent.width
            visible: text !== ""
            text: !NarrationPlayer.available ? qsTr("Narration unavailable") + (NarrationPlayer.message ? " — " + NarrationPlayer.message : "")
                 : bar.failed ? qsTr("Narration failed") + " — " + NarrationPlayer.message
                 : (bar.showCaption && bar.mine ? NarrationPlayer.caption : "")
            wrapMode: Text.Wrap
            maximumLineCount: 3
            elide: Text.ElideRight
            color: !NarrationPlayer.available || bar.failed ? Theme.inkSoft : Theme.ink
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontLarge
        }
        Text {  // no audio output: the narration is read, not heard
            objectName: "narrationNoSound"
            width: parent.width
            visible: NarrationPlayer.available && !NarrationPlayer.soundAvailable
            text: qsTr("No sound on this terminal: captions only")
            wrapMode: Text.Wrap
            color: Theme.inkSoft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
}
