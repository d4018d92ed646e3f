import QtQuick
import QtQuick.Controls.Basic
import QtMultimedia
import Hongtu
import Hongtu.Models

// An exhibit video: poster with a big play button, then the picture with touch controls
// (play/pause, seek slider, elapsed/total time). The file is opened only when the visitor presses
// play, and QtMultimedia opens and decodes it off the GUI thread. A missing or undecodable file
// shows a placeholder with the reason and logs a warning. Narration and video never play at once:
// starting this video stops the narration, and narration starting pauses the video.
Item {
    id: root
    objectName: "videoPlayer"
    property url source
    property string caption: ""
    property url poster
    property bool missing: false                 // the pack's file is not there (already logged)
    property bool started: false                 // play was pressed: the poster gives way to the picture
    property string errorText: ""
    readonly property bool failed: missing || source == "" || errorText !== ""
    readonly property bool playing: player.playbackState === MediaPlayer.PlayingState
    readonly property string status: failed ? "error"
        : playing ? "playing"
        : player.playbackState === MediaPlayer.PausedState ? "paused" : "stopped"
    readonly property int position: player.position    // ms
    readonly property int duration: player.duration    // ms

    function play() {
        if (failed)
            return
        started = true
        NarrationPlayer.stop()
        player.play()
    }
    function pause() { if (playing) player.pause() }
    function toggle() { playing ? pause() : play() }
    function stop() { player.stop() }
    function fmt(ms) {
        var s = Math.max(0, Math.floor(ms / 1000))
        var m = Math.floor(s / 60)
        s = s % 60
        return m + ":" + (s < 10 ? "0" : "") + s
    }

    onSourceChanged: { errorText = ""; started = false }
    onVisibleChanged: if (!visible) pause()

    Rectangle { anchors.fill: parent; color: "#000000"; radius: Theme.radius }

    MediaPlayer {
        id: player
        source: root.started && !root.missing ? root.source : ""
        videoOutput: output
        // no audio output on the terminal: no AudioOutput either, so QtMultimedia never drives
        // a sound device that is not there (the picture plays on its own clock)
        audioOutput: NarrationPlayer.soundAvailable ? videoAudio : null
        onErrorOccurred: (error, message) => {
            root.errorText = message !== "" ? message : "error " + error
            MediaLog.warn("video", root.source.toString(), root.errorText)
        }
        onPlaybackStateChanged: if (playbackState === MediaPlayer.PlayingState) NarrationPlayer.stop()
        onMediaStatusChanged: if (mediaStatus === MediaPlayer.EndOfMedia) player.setPosition(0)
    }
    AudioOutput { id: videoAudio }
    Connections {
        target: NarrationPlayer
        function onChanged() {
            if (NarrationPlayer.state === "loading" || NarrationPlayer.state === "playing")
                root.pause()
        }
    }

    VideoOutput {
        id: output
        anchors.fill: parent
        visible: root.started && !root.failed
        fillMode: VideoOutput.PreserveAspectFit
    }
    SmartImage {
        objectName: "videoPoster"
        anchors.fill: parent
        visible: !root.started && !root.failed
        source: root.poster
        label: root.caption
        fillMode: Image.PreserveAspectCrop
    }
    // tap the picture to play / pause
    TapHandler {
        enabled: !root.failed
        onTapped: root.toggle()
    }

    // big round play button over the poster (and over a paused picture)
    AbstractButton {
        id: bigPlay
        objectName: "videoBigPlay"
        visible: !root.failed && !root.playing
        anchors.centerIn: parent
        width: Math.max(Theme.touch, Theme.px(150))
        height: width
        scale: down ? 0.94 : 1.0
        onClicked: root.play()
        background: Rectangle {
            radius: width / 2
            color: bigPlay.down ? Theme.redDark : Theme.red
            opacity: 0.92
            border.color: Theme.gold
            border.width: Math.max(3, Theme.px(5))
        }
        contentItem: Text {
            text: "▶"
            color: Theme.goldLight
            font.pixelSize: Math.round(bigPlay.height * 0.42)
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
            leftPadding: bigPlay.height * 0.08
        }
    }

    // caption over the poster
    Rectangle {
        visible: !root.started && !root.failed && root.caption !== ""
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: capText.implicitHeight + Theme.px(24)
        color: "#B0000000"
        radius: Theme.radius
        Text {
            id: capText
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter; margins: Theme.px(16) }
            text: "▶ " + qsTr("Video") + " · " + root.caption
            color: Theme.goldLight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }

    // controls: play/pause, seek, time
    Rectangle {
        id: controls
        objectName: "videoControls"
        visible: root.started && !root.failed
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        height: Theme.touch + Theme.px(20)
        color: "#C0000000"
        radius: Theme.radius
        Row {
            anchors { fill: parent; margins: Theme.px(10) }
            spacing: Theme.px(16)
            BigButton {
                id: playPause
                objectName: "videoPlayPause"
                kind: "header"
                width: Theme.touch
                height: Theme.touch
                text: root.playing ? "❚❚" : "▶"
                onClicked: root.toggle()
            }
            Text {
                id: timeText
                objectName: "videoTime"
                anchors.verticalCenter: parent.verticalCenter
                text: root.fmt(player.position) + " / " + root.fmt(player.duration)
                color: Theme.goldLight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
            Slider {
                id: seek
                objectName: "videoSeek"
                width: parent.width - playPause.width - timeText.width - parent.spacing * 2
                height: Theme.touch
                from: 0
                to: Math.max(1, player.duration)
                enabled: player.seekable
                value: pressed ? value : player.position
                onMoved: player.setPosition(value)
                background: Rectangle {
                    x: seek.leftPadding
                    y: seek.topPadding + seek.availableHeight / 2 - height / 2
                    width: seek.availableWidth
                    height: Math.max(6, Theme.px(10))
                    radius: height / 2
                    color: "#60FFFFFF"
                    Rectangle {
                        width: seek.visualPosition * parent.width
                        height: parent.height
                        radius: height / 2
                        color: Theme.gold
                    }
                }
                handle: Rectangle {
                    x: seek.leftPadding + seek.visualPosition * (seek.availableWidth - width)
                    y: seek.topPadding + seek.availableHeight / 2 - height / 2
                    width: Math.max(48, Theme.px(56))
                    height: width
                    radius: width / 2
                    color: seek.pressed ? Theme.goldLight : Theme.gold
                    border.color: Theme.redDark
                    border.width: Math.max(2, Theme.px(3))
                }
            }
        }
    }

    // placeholder: the file is missing or cannot be decoded
    Rectangle {
        objectName: "videoPlaceholder"
        anchors.fill: parent
        visible: root.failed
        color: Theme.placeholder
        radius: Theme.radius
        Column {
            anchors.centerIn: parent
            width: parent.width - Theme.px(40)
            spacing: Theme.px(10)
            Text {
                anchors.horizontalCenter: parent.horizontalCenter
                text: "⊘"
                color: Theme.gold
                font.pixelSize: Math.max(28, Math.min(root.width, root.height) / 5)
            }
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: root.missing || root.source == "" ? qsTr("Video not available") : qsTr("This video cannot be played")
                color: Theme.ink
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.Wrap
            }
            Text {
                width: parent.width
                visible: root.caption !== ""
                horizontalAlignment: Text.AlignHCenter
                text: root.caption
                color: Theme.inkSoft
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
                maximumLineCount: 2
                elide: Text.ElideRight
            }
        }
    }
}
